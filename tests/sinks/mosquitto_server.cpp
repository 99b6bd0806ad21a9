#include "mosquitto_server.hpp"

#include <mosquitto.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <thread>

namespace meterd::test {

namespace {

void run(const std::string& command) {
  if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) throw std::runtime_error("failed: " + command);
}

std::string password_file(const std::filesystem::path& dir, const std::string& password) {
  const auto file = dir / "passwords";
  run("mosquitto_passwd -b -c " + file.string() + " meterd " + password);
  return file.string();
}

}  // namespace

TestCertificates TestCertificates::make(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const auto p = [&](const char* name) { return dir / name; };
  TestCertificates c{p("ca.pem"), p("broker.pem"), p("broker.key"), p("client.pem"), p("client.key")};
  const std::string d = dir.string() + "/";
  run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=meterd-test-ca -keyout " + d + "ca.key -out " +
      c.ca.string());
  std::ofstream(p("san.cnf")) << "subjectAltName = IP:127.0.0.1\n";
  const auto sign = [&](const std::string& name, const std::string& cn, const std::string& extensions) {
    run("openssl req -newkey rsa:2048 -nodes -subj /CN=" + cn + " -keyout " + d + name + ".key -out " + d + name + ".csr");
    run("openssl x509 -req -days 2 -in " + d + name + ".csr -CA " + c.ca.string() + " -CAkey " + d +
        "ca.key -CAcreateserial -out " + d + name + ".pem" + extensions);
  };
  sign("broker", "127.0.0.1", " -extfile " + d + "san.cnf");
  sign("client", "pi-house", "");
  return c;
}

MosquittoServer::MosquittoServer(std::filesystem::path dir, std::string password, bool persistent)
    : dir_(std::move(dir)), port_(free_loopback_port()) {
  std::filesystem::create_directories(dir_);
  std::ofstream config(dir_ / "mosquitto.conf");
  // No bound on the messages queued per client, as docs/multi-host.md asks: the default of
  // 1000 makes the broker itself drop the rest of a flood.
  config << "listener " << port_ << " 127.0.0.1\nmax_queued_messages 0\n";
  if (persistent) {
    config << "persistence true\npersistence_location " << dir_.string() << "/\n";
    // Started as root, mosquitto would switch to its own user, which cannot write the test's folder.
    if (::geteuid() == 0) config << "user root\n";
  } else {
    config << "persistence false\n";
  }
  if (password.empty()) {
    config << "allow_anonymous true\n";
  } else {
    config << "allow_anonymous false\npassword_file " << password_file(dir_, password) << "\n";
  }
  config.close();
  process_ = std::make_unique<ServerProcess>(
      std::vector<std::string>{"/usr/sbin/mosquitto", "-c", (dir_ / "mosquitto.conf").string()}, dir_ / "mosquitto.log");
}

MosquittoServer::MosquittoServer(std::filesystem::path dir, const TestCertificates& certs, const std::string& password)
    : dir_(std::move(dir)), port_(free_loopback_port()), tls_port_(free_loopback_port()) {
  std::filesystem::create_directories(dir_);
  std::ofstream config(dir_ / "mosquitto.conf");
  // Started as root, mosquitto would switch to its own user, which cannot read the keys.
  if (::geteuid() == 0) config << "user root\n";
  config << "per_listener_settings true\npersistence false\n"
         << "listener " << port_ << " 127.0.0.1\nallow_anonymous true\n"
         << "listener " << tls_port_ << " 127.0.0.1\ncafile " << certs.ca.string() << "\ncertfile "
         << certs.server_cert.string() << "\nkeyfile " << certs.server_key.string()
         << "\nrequire_certificate true\nallow_anonymous false\npassword_file " << password_file(dir_, password) << "\n";
  config.close();
  process_ = std::make_unique<ServerProcess>(
      std::vector<std::string>{"/usr/sbin/mosquitto", "-c", (dir_ / "mosquitto.conf").string()}, dir_ / "mosquitto.log");
}

void MosquittoServer::start() {
  process_->start();
  if (!wait_for_port(port_, std::chrono::seconds(10))) throw std::runtime_error("mosquitto did not start: " + process_->log());
}

RecordingSubscriber::RecordingSubscriber(std::uint16_t port, const std::string& topic_filter,
                                         const std::string& session_id) {
  mosquitto_lib_init();
  handle_ = session_id.empty() ? mosquitto_new(nullptr, true, this) : mosquitto_new(session_id.c_str(), false, this);
  mosquitto_message_callback_set(handle_, on_message);
  if (mosquitto_connect(handle_, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS) throw std::runtime_error("subscriber cannot connect");
  mosquitto_subscribe(handle_, nullptr, topic_filter.c_str(), 1);
  mosquitto_loop_start(handle_);
  // Let the SUBACK arrive before the test starts publishing.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
}

RecordingSubscriber::~RecordingSubscriber() {
  mosquitto_disconnect(handle_);
  mosquitto_loop_stop(handle_, true);
  mosquitto_destroy(handle_);
}

void RecordingSubscriber::on_message(mosquitto*, void* self, const ::mosquitto_message* message) {
  auto* subscriber = static_cast<RecordingSubscriber*>(self);
  std::lock_guard lock(subscriber->mutex_);
  subscriber->messages_.push_back({message->topic,
                                   std::string(static_cast<const char*>(message->payload),
                                               static_cast<std::size_t>(message->payloadlen)),
                                   message->retain});
}

std::vector<ReceivedMessage> RecordingSubscriber::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

std::size_t RecordingSubscriber::count_on(const std::string& topic) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& m : messages_) n += m.topic == topic;
  return n;
}

void RecordingSubscriber::publish(const std::string& topic, const std::string& payload, bool retain) {
  mosquitto_publish(handle_, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1, retain);
}

}  // namespace meterd::test
