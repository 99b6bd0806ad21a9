#pragma once
// A TCP relay on loopback between an importer and an exporter: it forwards bytes both ways
// and records every byte it carried, so a test can look at what crossed the wire, and it can
// be taken down and brought back to cut the link.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace meterd::test {

class TcpRelay {
 public:
  // Listens on 127.0.0.1:listen_port and connects each client to 127.0.0.1:target_port.
  TcpRelay(std::uint16_t listen_port, std::uint16_t target_port);
  ~TcpRelay();
  void start();
  // Closes the listening socket and every connection it carries.
  void stop();
  std::string captured() const;

 private:
  void accept_loop();
  void pump(int from, int to);

  std::uint16_t listen_port_, target_port_;
  int listener_ = -1;
  std::atomic<bool> running_{false};
  mutable std::mutex mutex_;
  std::string captured_;
  std::vector<int> sockets_;
  std::vector<std::thread> threads_;
};

}  // namespace meterd::test
