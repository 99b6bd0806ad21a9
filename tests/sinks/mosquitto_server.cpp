#include "mosquitto_server.hpp"

#include <mosquitto.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <thread>

namespace meterd::test {

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
    const auto file = dir_ / "passwords";
    const std::string command = "mosquitto_passwd -b -c " + file.string() + " meterd " + password + " >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("mosquitto_passwd failed");
    config << "allow_anonymous false\npassword_file " << file.string() << "\n";
  }
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
