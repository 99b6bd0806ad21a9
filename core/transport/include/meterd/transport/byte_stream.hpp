#pragma once
// What every meter transport looks like to a source: bytes arrive in whatever pieces the
// line delivers, waiting is bounded so the caller can check its stop token, and the end of the
// stream (unplugged adapter, closed connection, end of a capture) is an ordinary result rather
// than an exception, because sources must keep running and reconnect.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

namespace meterd::transport {

// Opening failed (no such device, connection refused, unreadable file). The message says what
// was tried and why it failed, for a person reading the log.
class TransportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ReadStatus {
  data,     // `size` bytes were stored
  timeout,  // nothing arrived within the timeout; the stream is still usable
  closed,   // the stream ended; `reason` says why. Open a new one to continue.
};

struct ReadResult {
  ReadStatus status = ReadStatus::timeout;
  std::size_t size = 0;
  std::string reason;
};

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Waits at most `timeout` for at least one byte and returns what is available (up to the
  // buffer size). Never throws for I/O errors: those end the stream with status `closed`.
  virtual ReadResult read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) = 0;
  // "serial /dev/ttyUSB0 2400 8E1", "tcp 192.168.1.5:2001", "replay capture.hex"
  virtual std::string description() const = 0;
  // A descriptor that turns readable when read() has something to return (bytes or the end),
  // for an event loop waiting on many streams at once; read(buffer, 0) then does not block.
  // -1: none (a replay is paced by the clock); such a stream is read again after a while.
  virtual int wait_fd() const { return -1; }
};

}  // namespace meterd::transport
