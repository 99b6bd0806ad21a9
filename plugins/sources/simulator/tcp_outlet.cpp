#include "tcp_outlet.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "meterd/transport/tcp_client.hpp"

namespace meterd::simulator {

TcpOutlet::TcpOutlet(const std::string& listen, const std::string& port_file) : port_file_(port_file) {
  // host:port where port 0 asks the system for a free one (clients never use port 0, so the
  // client-side parser rejects it; here it is the usual choice for tests).
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("cii_listen '" + listen + "': expected host:port");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = -1;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (host.empty() || port < 0 || port > 65535)
    throw std::runtime_error("cii_listen '" + listen + "': expected host:port with a port from 0 to 65535");
  const transport::HostPort where{host, static_cast<std::uint16_t>(port)};
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(where.host.c_str(), std::to_string(where.port).c_str(), &hints, &found); rc != 0)
    throw std::runtime_error("cii_listen " + listen + ": " + ::gai_strerror(rc));
  listener_ = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int on = 1;
  if (listener_ >= 0) ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (listener_ < 0 || ::bind(listener_, found->ai_addr, found->ai_addrlen) != 0 || ::listen(listener_, 8) != 0) {
    const std::string why = std::strerror(errno);
    ::freeaddrinfo(found);
    if (listener_ >= 0) ::close(listener_);
    throw std::runtime_error("cannot listen on " + listen + ": " + why);
  }
  ::freeaddrinfo(found);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &len);
  const std::uint16_t bound_port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                               : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  endpoint_ = transport::HostPort{where.host, bound_port}.text();
  if (!port_file_.empty()) {
    // Written to a temporary name and renamed, so a reader never sees half a line.
    const std::string tmp = port_file_ + ".tmp";
    std::ofstream(tmp) << endpoint_ << "\n";
    std::rename(tmp.c_str(), port_file_.c_str());
  }
}

TcpOutlet::~TcpOutlet() {
  for (int c : clients_) ::close(c);
  ::close(listener_);
  if (!port_file_.empty()) std::remove(port_file_.c_str());
}

void TcpOutlet::poll() {
  for (;;) {
    const int c = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (c < 0) return;
    clients_.push_back(c);
  }
}

std::size_t TcpOutlet::send(std::span<const std::uint8_t> bytes) {
  poll();
  std::size_t taken = 0;
  for (auto it = clients_.begin(); it != clients_.end();) {
    const ssize_t n = ::send(*it, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN) {
      ::close(*it);
      it = clients_.erase(it);
      continue;
    }
    taken = std::max(taken, n > 0 ? static_cast<std::size_t>(n) : 0);
    ++it;
  }
  return taken;
}

}  // namespace meterd::simulator
