#include "meterd/dlms/link_frame_scanner.hpp"

namespace meterd::dlms {

void LinkFrameScanner::append(std::span<const std::uint8_t> bytes) {
  // Compact once the consumed prefix dominates: amortised O(1) per byte, bounded memory.
  if (pos_ > 0 && pos_ * 2 >= buffer_.size()) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

void LinkFrameScanner::reset() {
  buffer_.clear();
  pos_ = 0;
  garbage_since_frame_ = 0;
}

void LinkFrameScanner::skip_garbage(std::size_t n) {
  pos_ += n;
  garbage_ += n;
  garbage_since_frame_ += n;
}

std::optional<LinkFrameScanner::Event> LinkFrameScanner::next(bool end_of_input) {
  while (pos_ < buffer_.size()) {
    const std::span<const std::uint8_t> rest(buffer_.data() + pos_, buffer_.size() - pos_);
    const std::uint8_t first = rest[0];
    if (first == kHdlcFlag) {
      // Flag fill: a run of flags; the last one opens the frame.
      if (rest.size() >= 2 && rest[1] == kHdlcFlag) {
        ++pos_;
        continue;
      }
      const HdlcReadResult r = read_hdlc_frame(rest);
      if (r.status == FrameStatus::ok) {
        pos_ += r.size;  // the closing flag stays: it may open the next frame
        garbage_since_frame_ = 0;
        Event e;
        e.kind = Kind::hdlc;
        e.hdlc = r.frame;
        return e;
      }
      if (r.status == FrameStatus::need_more) {
        if (!end_of_input) return std::nullopt;
        // A lone trailing flag is the closing flag of the last frame, not garbage.
        if (rest.size() == 1) {
          ++pos_;
          continue;
        }
      }
      skip_garbage(1);
      if (r.status == FrameStatus::bad_fcs || r.status == FrameStatus::no_closing_flag) {
        Event e;
        e.kind = Kind::damaged;
        e.reason = r.status;
        return e;
      }
      if (garbage_since_frame_ == kGarbageAlarmBytes) return Event{Kind::garbage, {}, {}, FrameStatus::ok, false};
      continue;
    }
    if (first == kMbusStart) {
      const MbusReadResult r = read_mbus_frame(rest);
      if (r.status == FrameStatus::ok) {
        pos_ += r.size;
        garbage_since_frame_ = 0;
        Event e;
        e.kind = Kind::mbus;
        e.mbus = r.frame;
        return e;
      }
      if (r.status == FrameStatus::need_more && !end_of_input) return std::nullopt;
      skip_garbage(1);
      if (r.status == FrameStatus::bad_fcs || r.status == FrameStatus::no_closing_flag) {
        Event e;
        e.kind = Kind::damaged;
        e.reason = r.status;
        e.mbus_link = true;
        return e;
      }
      if (garbage_since_frame_ == kGarbageAlarmBytes) return Event{Kind::garbage, {}, {}, FrameStatus::ok, true};
      continue;
    }
    skip_garbage(1);
    if (garbage_since_frame_ == kGarbageAlarmBytes) {
      Event e;
      e.kind = Kind::garbage;
      return e;
    }
  }
  return std::nullopt;
}

}  // namespace meterd::dlms
