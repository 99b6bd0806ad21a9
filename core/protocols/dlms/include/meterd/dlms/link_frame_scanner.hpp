#pragma once
// Finds HDLC and M-Bus frames in a byte stream of any chunking, resynchronising after garbage
// or damaged frames by advancing one byte past the failed start (never dropping the buffer).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "meterd/dlms/link_frames.hpp"

namespace meterd::dlms {

class LinkFrameScanner {
 public:
  // `garbage`: exactly kGarbageAlarmBytes skipped since the last good frame (reported once per run,
  // at a byte position independent of chunking).
  enum class Kind { hdlc, mbus, damaged, garbage };
  static constexpr std::uint64_t kGarbageAlarmBytes = 600;
  struct Event {
    Kind kind = Kind::hdlc;
    HdlcFrame hdlc;         // kind == hdlc
    MbusFrame mbus;         // kind == mbus
    FrameStatus reason = FrameStatus::ok;  // kind == damaged: bad_fcs or no_closing_flag
    bool mbus_link = false;                // kind == damaged: which link layer
  };

  LinkFrameScanner() { buffer_.reserve(4096); }

  // Spans in events returned earlier become invalid.
  void append(std::span<const std::uint8_t> bytes);
  // The next frame, or a damaged frame worth reporting; empty when more bytes are needed.
  // With `end_of_input` an incomplete candidate is given up so the rest is still scanned.
  std::optional<Event> next(bool end_of_input = false);

  std::uint64_t garbage_bytes() const { return garbage_; }
  std::size_t buffered() const { return buffer_.size() - pos_; }
  void reset();

 private:
  void skip_garbage(std::size_t n);
  std::vector<std::uint8_t> buffer_;
  std::size_t pos_ = 0;
  std::uint64_t garbage_ = 0;
  std::uint64_t garbage_since_frame_ = 0;
};

}  // namespace meterd::dlms
