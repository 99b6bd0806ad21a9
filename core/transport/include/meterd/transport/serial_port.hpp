#pragma once
// A serial device (USB M-Bus slave adapter, P1 cable, optical head) opened in raw mode:
// no echo, no line editing, no flow control, reads return whatever bytes have arrived.
#include <string>

#include "meterd/transport/byte_stream.hpp"
#include "meterd/transport/serial_settings.hpp"

namespace meterd::transport {

// Puts the terminal behind `fd` into raw mode with `settings`. Throws TransportError.
// Exposed so the simulator can configure its pseudo-terminal like a real adapter.
void apply_serial_settings(int fd, const SerialSettings& settings, const std::string& what);

class SerialPort final : public ByteStream {
 public:
  // Opens `device` (symlinks such as /dev/serial/by-id/... are followed on every open, so a
  // replugged adapter is found again). Throws TransportError when it cannot be opened or is
  // not a terminal.
  SerialPort(std::string device, const SerialSettings& settings);
  ~SerialPort() override;
  SerialPort(const SerialPort&) = delete;
  SerialPort& operator=(const SerialPort&) = delete;

  // Switches the line settings without closing the device (used while auto-detecting) and
  // discards bytes received under the previous settings.
  void reconfigure(const SerialSettings& settings);
  const SerialSettings& settings() const { return settings_; }
  const std::string& device() const { return device_; }

  ReadResult read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  int wait_fd() const override { return fd_; }
  std::string description() const override;

 private:
  std::string device_;
  SerialSettings settings_;
  int fd_ = -1;
};

}  // namespace meterd::transport
