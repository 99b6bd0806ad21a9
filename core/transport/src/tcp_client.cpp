#include "meterd/transport/tcp_client.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "file_descriptor.hpp"

namespace meterd::transport {
namespace {

// Connects one resolved address without blocking longer than `timeout`; -1 and `error` set on failure.
int connect_one(const addrinfo& a, std::chrono::milliseconds timeout, std::string& error) {
  detail::UniqueFd fd(::socket(a.ai_family, a.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a.ai_protocol));
  if (!fd) {
    error = std::strerror(errno);
    return -1;
  }
  if (::connect(fd.get(), a.ai_addr, a.ai_addrlen) != 0) {
    if (errno != EINPROGRESS) {
      error = std::strerror(errno);
      return -1;
    }
    pollfd p{fd.get(), POLLOUT, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready == 0) {
      error = "timed out after " + std::to_string(timeout.count()) + " ms";
      return -1;
    }
    int so_error = 0;
    socklen_t len = sizeof so_error;
    if (ready < 0 || ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0) {
      error = std::strerror(ready < 0 ? errno : so_error);
      return -1;
    }
  }
  // Keepalive so a gateway that vanished without a FIN (power cut) is noticed eventually
  // even though meterd never sends anything.
  int on = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  int idle = 30, interval = 10, count = 3;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
  return fd.release();
}

}  // namespace

std::string HostPort::text() const {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

HostPort parse_host_port(std::string_view text) {
  const auto bad = [&](const char* why) {
    return std::invalid_argument("address '" + std::string(text) + "': " + why + " (expected host:port, e.g. 192.168.1.5:2001)");
  };
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) throw bad("no port");
  std::string_view host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.back() != ']') throw bad("unbalanced brackets");
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    throw bad("put IPv6 addresses in brackets");
  }
  if (host.empty()) throw bad("empty host");
  unsigned long value = 0;
  if (port.empty() || port.size() > 5) throw bad("port must be 1 to 65535");
  for (char c : port) {
    if (c < '0' || c > '9') throw bad("port must be a number");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) throw bad("port must be 1 to 65535");
  return {std::string(host), static_cast<std::uint16_t>(value)};
}

TcpClient::TcpClient(const HostPort& address, std::chrono::milliseconds connect_timeout) : address_(address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (const int rc = ::getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    throw TransportError("resolve " + address.host + ": " + ::gai_strerror(rc));
  std::string errors;
  for (const addrinfo* a = found; a && fd_ < 0; a = a->ai_next) {
    std::string error;
    fd_ = connect_one(*a, connect_timeout, error);
    if (fd_ < 0) errors += (errors.empty() ? "" : "; ") + error;
  }
  ::freeaddrinfo(found);
  if (fd_ < 0) throw TransportError("connect to " + address.text() + ": " + errors);
}

TcpClient::~TcpClient() {
  if (fd_ >= 0) ::close(fd_);
}

ReadResult TcpClient::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  return detail::read_with_timeout(fd_, buffer, timeout, address_.text());
}

}  // namespace meterd::transport
