#pragma once
// Replays a capture (raw bytes as they came off the line, or hex text as in bug reports and
// test vectors) as if it arrived now: paced at a byte rate, so timing-dependent behaviour
// such as silence reports shows, or as fast as possible for imports and tests.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "meterd/transport/byte_stream.hpp"

namespace meterd::transport {

enum class CaptureFormat {
  raw,     // the file holds the bytes themselves
  hex,     // hex digits, whitespace anywhere ignored
  detect,  // hex when the file is nothing but hex digits and whitespace, raw otherwise
};

// "raw", "hex" or "auto". Throws std::invalid_argument.
CaptureFormat parse_capture_format(std::string_view text);

// Reads the whole capture. Throws TransportError when the file cannot be read or the hex is
// malformed (the message gives the offending position).
std::vector<std::uint8_t> load_capture(const std::filesystem::path& file, CaptureFormat format);

class CaptureReplay final : public ByteStream {
 public:
  // `bytes_per_second` 0 means as fast as the reader asks. 2400 8E1 carries about 218 bytes/s.
  CaptureReplay(std::vector<std::uint8_t> bytes, double bytes_per_second, std::string name);

  // Returns the bytes that are due by now; `closed` with reason "end of capture" after the last.
  ReadResult read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  std::string description() const override { return "replay " + name_; }
  bool finished() const { return position_ >= bytes_.size(); }
  std::size_t position() const { return position_; }

 private:
  std::vector<std::uint8_t> bytes_;
  double bytes_per_second_;
  std::string name_;
  std::size_t position_ = 0;
  std::chrono::steady_clock::time_point started_;
  bool started_set_ = false;
};

}  // namespace meterd::transport
