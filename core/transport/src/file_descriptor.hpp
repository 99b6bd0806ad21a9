#pragma once
// Internal helpers shared by the descriptor-based transports (serial port, TCP client):
// an owning descriptor and a bounded wait-then-read that maps errors to a closed stream.
#include <chrono>
#include <span>
#include <string>
#include <utility>

#include "meterd/transport/byte_stream.hpp"

namespace meterd::transport::detail {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset();
  int release() { return std::exchange(fd_, -1); }  // hands ownership to the caller

 private:
  int fd_ = -1;
};

// "open /dev/ttyUSB0: No such file or directory" from errno.
std::string errno_text(const std::string& what);

// Polls `fd` for input for up to `timeout`, then reads once. End of file, hang-up and read
// errors all yield `closed`, with `what` naming the stream in the reason.
ReadResult read_with_timeout(int fd, std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout,
                             const std::string& what);

}  // namespace meterd::transport::detail
