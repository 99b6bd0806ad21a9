#include "loopback_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace meterd::test_support {

LoopbackListener::LoopbackListener(bool listen_now) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listener_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("bind failed");
  socklen_t len = sizeof addr;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
  address_ = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  if (listen_now) listen();
}

LoopbackListener::~LoopbackListener() {
  drop();
  ::close(listener_);
}

void LoopbackListener::listen() {
  if (::listen(listener_, 4) != 0) throw std::runtime_error("listen failed");
}

bool LoopbackListener::accept(std::chrono::milliseconds timeout) {
  drop();
  pollfd p{listener_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
  peer_ = ::accept(listener_, nullptr, nullptr);
  return peer_ >= 0;
}

void LoopbackListener::send(const std::vector<std::uint8_t>& bytes) {
  if (peer_ < 0) throw std::runtime_error("no accepted connection to send on");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(peer_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("send failed");
    done += static_cast<std::size_t>(n);
  }
}

void LoopbackListener::drop() {
  if (peer_ >= 0) ::close(peer_);
  peer_ = -1;
}

}  // namespace meterd::test_support
