#include "meterd/mqtt/mosquitto_client.hpp"

#include <mosquitto.h>

#include <condition_variable>
#include <cstring>
#include <stdexcept>

namespace meterd::mqtt {
namespace {

void init_library_once() {
  static const int initialised = mosquitto_lib_init();
  (void)initialised;
}

std::string connack_text(int rc) {
  switch (rc) {
    case 1: return "broker refused the connection: unacceptable protocol version";
    case 2: return "broker refused the connection: client id rejected";
    case 3: return "broker refused the connection: server unavailable";
    case 4: return "broker refused the login: bad username or password";
    case 5: return "broker refused the login: not authorised";
    default: return std::string("broker refused the connection: ") + mosquitto_connack_string(rc);
  }
}

void set_tls(mosquitto* handle, const BrokerSettings& settings) {
  const auto file_or_null = [](const std::string& path) { return path.empty() ? nullptr : path.c_str(); };
  const int rc = mosquitto_tls_set(handle, file_or_null(settings.ca_file),
                                   settings.ca_file.empty() ? "/etc/ssl/certs" : nullptr,
                                   file_or_null(settings.cert_file), file_or_null(settings.key_file), nullptr);
  if (rc != MOSQ_ERR_SUCCESS) {
    throw std::invalid_argument("options 'ca_file', 'cert_file', 'key_file': cannot use '" + settings.ca_file + "', '" +
                                settings.cert_file + "', '" + settings.key_file + "': " + mosquitto_strerror(rc) +
                                "; give readable PEM files");
  }
}

}  // namespace

void check_tls_files(const BrokerSettings& settings) {
  if (settings.cert_file.empty() != settings.key_file.empty())
    throw std::invalid_argument("options 'cert_file' and 'key_file': give both (client certificate and its key) or neither");
  if (!settings.tls && (!settings.ca_file.empty() || !settings.cert_file.empty()))
    throw std::invalid_argument("options 'ca_file', 'cert_file': set tls = true to use them");
}

MosquittoClient::MosquittoClient(BrokerSettings settings, ConnectedHandler on_connected, MessageHandler on_message)
    : settings_(std::move(settings)), on_connected_(std::move(on_connected)), on_message_(std::move(on_message)) {
  init_library_once();
  check_tls_files(settings_);
  handle_ = mosquitto_new(settings_.client_id.c_str(), settings_.clean_session, this);
  if (!handle_) throw std::runtime_error("mosquitto_new failed");
  mosquitto_int_option(handle_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_connect_with_flags_callback_set(handle_, on_connect);
  mosquitto_disconnect_callback_set(handle_, on_disconnect);
  mosquitto_publish_callback_set(handle_, on_publish);
  mosquitto_message_callback_set(handle_, handle_message);
  // Set before any connect, so the library takes our thread as the only one running the loop.
  mosquitto_threaded_set(handle_, true);
  if (!settings_.username.empty()) {
    mosquitto_username_pw_set(handle_, settings_.username.c_str(), settings_.password.c_str());
  }
  if (settings_.tls) set_tls(handle_, settings_);
  if (!settings_.will_topic.empty()) {
    mosquitto_will_set(handle_, settings_.will_topic.c_str(), 7, "offline", 1, true);
  }
}

MosquittoClient::~MosquittoClient() {
  if (started_) {
    mosquitto_disconnect(handle_);
    network_ = {};
  }
  mosquitto_destroy(handle_);
}

void MosquittoClient::start() {
  network_ = std::jthread([this](std::stop_token stop) { run(stop); });
  started_ = true;
}

void MosquittoClient::note_problem(const std::string& problem) {
  std::lock_guard lock(mutex_);
  // Keep a refused login's explanation, which says more than the dropped link that follows.
  if (problem_.rfind("broker refused", 0) != 0 || connected_) problem_ = problem;
}

bool MosquittoClient::pause(std::chrono::milliseconds delay, std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  cv.wait_for(lock, stop, delay, [] { return false; });
  return !stop.stop_requested();
}

// Connect, run the loop while the link holds, wait by the backoff, connect again. A broker
// that is down at the first attempt is just an early failure of the same loop. Once the
// broker accepted us (CONNACK), the backoff starts again from retry_initial_ms.
void MosquittoClient::run(std::stop_token stop) {
  disk_queue::Backoff backoff(settings_.reconnect);
  const std::string where = "MQTT broker " + settings_.host + ":" + std::to_string(settings_.port);
  const auto reason = [](int rc) {
    return rc == MOSQ_ERR_ERRNO ? std::string(std::strerror(errno)) : std::string(mosquitto_strerror(rc));
  };
  while (!stop.stop_requested()) {
    // Asynchronous: the TCP connect completes in mosquitto_loop, so a stop never waits for a
    // connect timeout.
    int rc = mosquitto_connect_async(handle_, settings_.host.c_str(), settings_.port, settings_.keepalive_s);
    bool was_up = false;
    while (!stop.stop_requested() && rc == MOSQ_ERR_SUCCESS) {
      rc = mosquitto_loop(handle_, 100, 1);
      if (connected()) {
        was_up = true;
        backoff.reset();
      }
    }
    if (stop.stop_requested()) break;
    note_problem((was_up ? "connection to " + where + " lost (" : "cannot connect to " + where + " (") + reason(rc) + ")");
    {
      std::lock_guard lock(mutex_);
      connected_ = false;
    }
    if (!pause(backoff.next_delay(), stop)) break;
  }
  // Let a DISCONNECT queued by stop_gracefully() go out before the socket closes.
  for (int i = 0; i < 10 && mosquitto_loop(handle_, 50, 1) == MOSQ_ERR_SUCCESS; ++i) {
  }
}

void MosquittoClient::stop_gracefully() {
  if (!started_) return;
  if (connected() && !settings_.will_topic.empty()) {
    std::string ignored;
    std::set<int> ids;
    if (const int mid = publish(settings_.will_topic, "offline", 1, true, ignored)) ids.insert(mid);
    wait_for_acks(ids, std::chrono::seconds(2));
  }
  mosquitto_disconnect(handle_);
  network_.request_stop();
  network_.join();
  started_ = false;
}

bool MosquittoClient::connected() const {
  std::lock_guard lock(mutex_);
  return connected_;
}

std::string MosquittoClient::last_problem() const {
  std::lock_guard lock(mutex_);
  return problem_;
}

int MosquittoClient::publish(const std::string& topic, const std::string& payload, int qos, bool retain,
                             std::string& error) {
  int mid = 0;
  const int rc = mosquitto_publish(handle_, &mid, topic.c_str(), static_cast<int>(payload.size()), payload.data(), qos,
                                   retain);
  if (rc != MOSQ_ERR_SUCCESS) {
    error = "cannot publish to " + topic + ": " + mosquitto_strerror(rc);
    return 0;
  }
  return mid;
}

void MosquittoClient::subscribe(const std::string& topic) { mosquitto_subscribe(handle_, nullptr, topic.c_str(), 1); }

void MosquittoClient::wait_for_acks(std::set<int>& ids, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const auto take_acked = [&] {
    for (auto it = ids.begin(); it != ids.end();) {
      if (acked_.erase(*it)) it = ids.erase(it);
      else ++it;
    }
    return ids.empty();
  };
  acked_changed_.wait_for(lock, timeout, take_acked);
}

// Subscribes at every connect, also when the broker kept our session (flags bit 0): the
// config may name other topics since. The broker then sends the retained messages again;
// a subscriber must treat those as old news anyway.
void MosquittoClient::on_connect(mosquitto*, void* self, int rc, int /*flags*/) {
  auto* client = static_cast<MosquittoClient*>(self);
  {
    std::lock_guard lock(client->mutex_);
    client->connected_ = rc == 0;
    if (rc != 0) client->problem_ = connack_text(rc);
  }
  if (rc != 0) return;
  for (const auto& filter : client->settings_.subscriptions) client->subscribe(filter);
  if (!client->settings_.will_topic.empty()) {
    std::string ignored;
    client->publish(client->settings_.will_topic, "online", 1, true, ignored);
  }
  if (client->on_connected_) client->on_connected_();
}

void MosquittoClient::on_disconnect(mosquitto*, void* self, int rc) {
  auto* client = static_cast<MosquittoClient*>(self);
  std::lock_guard lock(client->mutex_);
  // Keep a refused login's explanation; otherwise say the link dropped.
  if (client->connected_ || client->problem_.empty() || client->problem_ == "not connected yet") {
    client->problem_ = "connection to MQTT broker " + client->settings_.host + ":" +
                       std::to_string(client->settings_.port) + " lost or unavailable" +
                       (rc != 0 ? std::string(" (") + mosquitto_strerror(rc) + ")" : std::string());
  }
  client->connected_ = false;
}

void MosquittoClient::on_publish(mosquitto*, void* self, int mid) {
  auto* client = static_cast<MosquittoClient*>(self);
  {
    std::lock_guard lock(client->mutex_);
    client->acked_.insert(mid);
  }
  client->acked_changed_.notify_all();
}

void MosquittoClient::handle_message(mosquitto*, void* self, const ::mosquitto_message* message) {
  auto* client = static_cast<MosquittoClient*>(self);
  if (!client->on_message_ || !message->topic) return;
  const std::string payload(static_cast<const char*>(message->payload), static_cast<std::size_t>(message->payloadlen));
  client->on_message_(message->topic, payload, message->retain);
}

}  // namespace meterd::mqtt
