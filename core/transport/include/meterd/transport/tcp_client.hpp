#pragma once
// A TCP connection to a serial-to-network bridge (ser2net, an M-Bus or P1 gateway) that
// passes the meter's bytes through unchanged. Read-only: meters push, nothing is sent.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "meterd/transport/byte_stream.hpp"

namespace meterd::transport {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
  std::string text() const;  // "host:port", IPv6 literals in brackets
};

// Parses "host:port", "192.168.1.5:2001" or "[fe80::1]:2001". Throws std::invalid_argument.
HostPort parse_host_port(std::string_view text);

class TcpClient final : public ByteStream {
 public:
  // Resolves and connects, trying every address of the name, each for at most
  // `connect_timeout`. Throws TransportError saying which address failed and why.
  TcpClient(const HostPort& address, std::chrono::milliseconds connect_timeout);
  ~TcpClient() override;
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  ReadResult read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  int wait_fd() const override { return fd_; }
  std::string description() const override { return "tcp " + address_.text(); }

 private:
  HostPort address_;
  int fd_ = -1;
};

}  // namespace meterd::transport
