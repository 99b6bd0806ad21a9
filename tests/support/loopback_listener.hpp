#pragma once
// A TCP listener on 127.0.0.1 with a free port, standing in for ser2net or a serial gateway:
// accept the source's connection, write the meter's bytes, drop the connection.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace meterd::test_support {

class LoopbackListener {
 public:
  // Bound but not yet listening when `listen_now` is false, so connections are refused.
  explicit LoopbackListener(bool listen_now = true);
  ~LoopbackListener();
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  void listen();
  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"
  // Waits for the next connection; false on timeout.
  bool accept(std::chrono::milliseconds timeout);
  // Writes everything to the accepted connection (blocking).
  void send(const std::vector<std::uint8_t>& bytes);
  // Closes the accepted connection, as a gateway that loses the meter side does.
  void drop();

 private:
  int listener_ = -1, peer_ = -1;
  std::string address_;
};

}  // namespace meterd::test_support
