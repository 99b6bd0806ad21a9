#include "tcp_relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace meterd::test {
namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

}  // namespace

TcpRelay::TcpRelay(std::uint16_t listen_port, std::uint16_t target_port)
    : listen_port_(listen_port), target_port_(target_port) {}

TcpRelay::~TcpRelay() { stop(); }

void TcpRelay::start() {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const auto addr = loopback(listen_port_);
  if (::bind(listener_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener_, 8) != 0)
    throw std::runtime_error("relay cannot listen on port " + std::to_string(listen_port_));
  running_ = true;
  threads_.emplace_back([this] { accept_loop(); });
}

void TcpRelay::stop() {
  if (!running_.exchange(false)) return;
  for (auto& t : threads_) t.join();
  threads_.clear();
  std::lock_guard lock(mutex_);
  for (int s : sockets_) ::close(s);
  sockets_.clear();
  ::close(listener_);
}

std::string TcpRelay::captured() const {
  std::lock_guard lock(mutex_);
  return captured_;
}

void TcpRelay::accept_loop() {
  while (running_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const auto addr = loopback(target_port_);
    if (::connect(server, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(client);
      ::close(server);
      continue;
    }
    std::lock_guard lock(mutex_);
    sockets_.insert(sockets_.end(), {client, server});
    threads_.emplace_back([this, client, server] { pump(client, server); });
  }
}

// Both directions in one thread; ends when either side closes or the relay stops.
void TcpRelay::pump(int a, int b) {
  char buffer[16384];
  while (running_) {
    pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    if (::poll(p, 2, 50) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(p[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        ::shutdown(a, SHUT_RDWR);
        ::shutdown(b, SHUT_RDWR);
        return;
      }
      {
        std::lock_guard lock(mutex_);
        captured_.append(buffer, static_cast<std::size_t>(n));
      }
      for (ssize_t sent = 0; sent < n;) {
        const ssize_t w = ::write(p[1 - i].fd, buffer + sent, static_cast<std::size_t>(n - sent));
        if (w <= 0) return;
        sent += w;
      }
    }
  }
}

}  // namespace meterd::test
