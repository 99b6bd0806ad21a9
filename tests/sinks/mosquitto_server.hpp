#pragma once
// A throwaway mosquitto broker on a free loopback port, and a subscriber that records every
// message it receives, for reading back what the mqtt sink published.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server_process.hpp"

struct mosquitto;
struct mosquitto_message;

namespace meterd::test {

class MosquittoServer {
 public:
  // With `password` set, only user "meterd" with that password may connect. `persistent`:
  // sessions and queued messages are saved on stop and loaded at start, as a broker between
  // hosts must be configured (docs/multi-host.md).
  explicit MosquittoServer(std::filesystem::path dir, std::string password = "", bool persistent = false);
  void start();  // waits for the port; restarts keep the port
  void stop() { process_->stop(); }
  std::uint16_t port() const { return port_; }

 private:
  std::filesystem::path dir_;
  std::uint16_t port_;
  std::unique_ptr<ServerProcess> process_;
};

struct ReceivedMessage {
  std::string topic, payload;
  bool retained;
};

class RecordingSubscriber {
 public:
  // With `session_id`, a persistent session (clean_session false) under that client id: the
  // broker keeps QoS 1 messages for it while it is disconnected, also over a broker restart.
  RecordingSubscriber(std::uint16_t port, const std::string& topic_filter, const std::string& session_id = "");
  ~RecordingSubscriber();
  std::vector<ReceivedMessage> messages() const;
  std::size_t count_on(const std::string& topic) const;
  // Publishes as another client would (Home Assistant's birth message in tests).
  void publish(const std::string& topic, const std::string& payload, bool retain);

 private:
  static void on_message(mosquitto*, void* self, const ::mosquitto_message* message);
  mosquitto* handle_ = nullptr;
  mutable std::mutex mutex_;
  std::vector<ReceivedMessage> messages_;
};

}  // namespace meterd::test
