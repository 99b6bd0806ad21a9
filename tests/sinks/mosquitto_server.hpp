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

// Files a TLS listener needs: a CA, and a certificate for 127.0.0.1 and one for a client,
// both signed by that CA. Made with the openssl command line, as an operator would.
struct TestCertificates {
  std::filesystem::path ca, server_cert, server_key, client_cert, client_key;
  static TestCertificates make(const std::filesystem::path& dir);
};

class MosquittoServer {
 public:
  // With `password` set, only user "meterd" with that password may connect. `persistent`:
  // sessions and queued messages are saved on stop and loaded at start, as a broker between
  // hosts must be configured (docs/multi-host.md).
  explicit MosquittoServer(std::filesystem::path dir, std::string password = "", bool persistent = false);
  // A broker as docs/multi-host.md sets it up: a TLS listener (tls_port()) that admits only
  // clients with a certificate from `certs.ca` and the password of user "meterd"; the plain
  // listener (port()) stays open to anonymous clients so tests can publish.
  MosquittoServer(std::filesystem::path dir, const TestCertificates& certs, const std::string& password);
  void start();  // waits for the port; restarts keep the port
  void stop() { process_->stop(); }
  std::uint16_t port() const { return port_; }
  std::uint16_t tls_port() const { return tls_port_; }

 private:
  std::filesystem::path dir_;
  std::uint16_t port_;
  std::uint16_t tls_port_ = 0;
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
