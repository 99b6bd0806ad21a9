#pragma once
// Common face of the streaming protocol decoders. Bytes go in in any chunking; complete
// messages and diagnostics come out through callbacks, in order.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "meterd/decoded_message.hpp"

namespace meterd {

struct DecoderCounters {
  std::uint64_t bytes = 0;
  std::uint64_t frames_ok = 0;    // transport frames with a good checksum
  std::uint64_t frames_bad = 0;   // checksum or structure errors
  std::uint64_t messages = 0;     // decoded messages delivered
  std::uint64_t errors = 0;       // messages rejected (reassembly, decryption, layout)
  std::uint64_t garbage_bytes = 0;  // skipped while resynchronising
};

class StreamDecoder {
 public:
  using MessageHandler = std::function<void(DecodedMessage&&)>;
  using DiagnosticHandler = std::function<void(DecoderDiagnostic&&)>;

  virtual ~StreamDecoder() = default;
  virtual std::string_view protocol() const = 0;
  virtual void feed(std::span<const std::uint8_t> bytes) = 0;
  // End of input (file end, closed connection): report what is left half-done.
  virtual void finish() {}
  virtual const DecoderCounters& counters() const = 0;

  void on_message(MessageHandler h) { message_ = std::move(h); }
  void on_diagnostic(DiagnosticHandler h) { diagnostic_ = std::move(h); }

 protected:
  void emit(DecodedMessage&& m) { if (message_) message_(std::move(m)); }
  void report(DecoderDiagnostic&& d) { if (diagnostic_) diagnostic_(std::move(d)); }

 private:
  MessageHandler message_;
  DiagnosticHandler diagnostic_;
};

}  // namespace meterd
