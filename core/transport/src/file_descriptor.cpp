#include "file_descriptor.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace meterd::transport::detail {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() { reset(); }

void UniqueFd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

ReadResult read_with_timeout(int fd, std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout,
                             const std::string& what) {
  pollfd p[1] = {{fd, POLLIN, 0}};
  const int ready = ::poll(p, 1, static_cast<int>(timeout.count()));
  if (ready < 0) {
    // A signal interrupting the wait is not a failure of the line.
    if (errno == EINTR) return {ReadStatus::timeout, 0, {}};
    return {ReadStatus::closed, 0, errno_text("poll " + what)};
  }
  if (ready == 0 || p[0].revents == 0) return {ReadStatus::timeout, 0, {}};
  // Read even when POLLHUP is set: a peer may close right after sending its last bytes.
  const ssize_t n = ::read(fd, buffer.data(), buffer.size());
  if (n > 0) return {ReadStatus::data, static_cast<std::size_t>(n), {}};
  if (n == 0) return {ReadStatus::closed, 0, what + ": end of stream (device unplugged or peer closed)"};
  if (errno == EAGAIN || errno == EINTR) return {ReadStatus::timeout, 0, {}};
  // A USB adapter pulled out or a pseudo-terminal whose other side closed reads as EIO.
  return {ReadStatus::closed, 0, errno_text("read " + what)};
}

}  // namespace meterd::transport::detail
