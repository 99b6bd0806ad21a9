#include "http_probe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <stdexcept>

namespace meterd::test {
namespace {

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// A reply to HEAD announces the length of a body it does not send.
HttpReply parse_reply(const std::string& raw, bool head) {
  const auto header_end = raw.find("\r\n\r\n");
  if (header_end == std::string::npos || !raw.starts_with("HTTP/1.1 ")) {
    throw std::runtime_error("not an HTTP reply: " + raw.substr(0, 200));
  }
  HttpReply reply;
  reply.status = std::stoi(raw.substr(9, 3));
  std::size_t pos = raw.find("\r\n") + 2;
  while (pos < header_end) {
    const auto line_end = raw.find("\r\n", pos);
    const std::string line = raw.substr(pos, line_end - pos);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      reply.headers[lower(line.substr(0, colon))] = value;
    }
    pos = line_end + 2;
  }
  reply.body = raw.substr(header_end + 4);
  if (const auto length = reply.headers.find("content-length"); !head && length != reply.headers.end()) {
    const auto expected = std::stoul(length->second);
    if (reply.body.size() != expected) {
      throw std::runtime_error("body has " + std::to_string(reply.body.size()) + " bytes, Content-Length says " +
                               length->second);
    }
  }
  return reply;
}

}  // namespace

HttpReply http_exchange(unsigned short port, std::string_view raw_request) {
  Socket socket(::socket(AF_INET, SOCK_STREAM, 0));
  if (socket.fd() < 0) throw std::runtime_error("socket() failed");
  timeval timeout{10, 0};  // a hung server fails the test instead of hanging it
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
  std::size_t sent = 0;
  while (sent < raw_request.size()) {
    const ssize_t n = ::send(socket.fd(), raw_request.data() + sent, raw_request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buffer[16384];
  while (true) {
    const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n < 0) throw std::runtime_error("recv failed or timed out");
    if (n == 0) break;
    raw.append(buffer, static_cast<std::size_t>(n));
  }
  return parse_reply(raw, raw_request.starts_with("HEAD "));
}

HttpReply http_get(unsigned short port, std::string_view target, std::string_view method) {
  return http_exchange(port, std::string(method) + " " + std::string(target) +
                                 " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

}  // namespace meterd::test
