#include "meterd/dlms/link_frames.hpp"

namespace meterd::dlms {

MbusReadResult read_mbus_frame(std::span<const std::uint8_t> b) {
  MbusReadResult r;
  if (b.empty()) return r;
  if (b[0] != kMbusStart) {
    r.status = FrameStatus::not_a_frame;
    return r;
  }
  if (b.size() < 4) return r;
  const std::size_t length = b[1];
  // L counts C, A and CI at least; the repeated L and second start byte guard against false starts.
  if (b[2] != b[1] || b[3] != kMbusStart || length < 3) {
    r.status = FrameStatus::not_a_frame;
    return r;
  }
  const std::size_t total = length + 6;
  if (b.size() < total) return r;
  std::uint8_t sum = 0;
  for (std::size_t i = 4; i < 4 + length; ++i) sum = static_cast<std::uint8_t>(sum + b[i]);
  if (sum != b[4 + length]) {
    r.status = FrameStatus::bad_fcs;
    return r;
  }
  if (b[5 + length] != kMbusStop) {
    r.status = FrameStatus::no_closing_flag;
    return r;
  }
  r.frame.control = b[4];
  r.frame.address = b[5];
  r.frame.ci = b[6];
  r.frame.data = b.subspan(7, length - 3);
  r.size = total;
  r.status = FrameStatus::ok;
  return r;
}

}  // namespace meterd::dlms
