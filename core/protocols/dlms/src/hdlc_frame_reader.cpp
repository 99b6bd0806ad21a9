#include "meterd/crc16.hpp"
#include "meterd/dlms/link_frames.hpp"

namespace meterd::dlms {
namespace {

constexpr std::size_t kMaxAddressBytes = 4;
constexpr std::size_t kMinLength = 7;  // format 2 + addresses 2 + control 1 + FCS 2

// Reads an HDLC address (bit 0 = last byte); returns its byte count or 0 if invalid/incomplete.
std::size_t read_address(std::span<const std::uint8_t> bytes, std::size_t pos, std::size_t limit,
                         std::uint32_t& address) {
  address = 0;
  for (std::size_t n = 0; n < kMaxAddressBytes && pos + n < limit; ++n) {
    address = (address << 8) | bytes[pos + n];
    if (bytes[pos + n] & 0x01) return n + 1;
  }
  return 0;
}

std::uint16_t crc_le(std::span<const std::uint8_t> bytes, std::size_t pos) {
  return static_cast<std::uint16_t>(bytes[pos] | (bytes[pos + 1] << 8));
}

}  // namespace

const char* frame_status_name(FrameStatus s) {
  switch (s) {
    case FrameStatus::ok: return "ok";
    case FrameStatus::need_more: return "incomplete";
    case FrameStatus::not_a_frame: return "not a frame";
    case FrameStatus::bad_hcs: return "HCS mismatch";
    case FrameStatus::bad_fcs: return "checksum mismatch";
    case FrameStatus::no_closing_flag: return "no closing flag";
  }
  return "unknown";
}

HdlcReadResult read_hdlc_frame(std::span<const std::uint8_t> b) {
  HdlcReadResult r;
  if (b.size() < 3) return r;
  if (b[0] != kHdlcFlag || (b[1] & 0xF0) != 0xA0) {
    r.status = FrameStatus::not_a_frame;
    return r;
  }
  const std::size_t length = ((b[1] & 0x07u) << 8) | b[2];
  if (length < kMinLength) {
    r.status = FrameStatus::not_a_frame;
    return r;
  }
  const std::size_t end = 1 + length;  // index of the closing flag
  const std::size_t available = b.size() < end ? b.size() : end;

  // Parse the header as soon as its bytes are there, so a false start is dropped without
  // waiting for up to 2 KiB of a length that was never sent.
  std::size_t pos = 3;
  const std::size_t dst_len = read_address(b, pos, available, r.frame.destination);
  if (dst_len == 0) {
    r.status = (pos + kMaxAddressBytes <= available || available == end) ? FrameStatus::not_a_frame : FrameStatus::need_more;
    return r;
  }
  pos += dst_len;
  const std::size_t src_len = read_address(b, pos, available, r.frame.source);
  if (src_len == 0) {
    r.status = (pos + kMaxAddressBytes <= available || available == end) ? FrameStatus::not_a_frame : FrameStatus::need_more;
    return r;
  }
  pos += src_len;
  const std::size_t control_at = pos++;
  if (pos + 2 > end) {
    r.status = FrameStatus::not_a_frame;
    return r;
  }
  const bool has_info = pos + 2 < end;
  if (has_info && pos + 4 > end) {  // room for an HCS but not for HCS + FCS
    r.status = FrameStatus::not_a_frame;
    return r;
  }
  if (has_info) {
    if (pos + 2 > available) return r;
    if (crc16_x25(b.subspan(1, pos - 1)) != crc_le(b, pos)) {
      r.status = FrameStatus::bad_hcs;
      return r;
    }
  }
  if (b.size() < end + 1) return r;
  if (crc16_x25(b.subspan(1, length - 2)) != crc_le(b, end - 2)) {
    r.status = FrameStatus::bad_fcs;
    return r;
  }
  if (b[end] != kHdlcFlag) {
    r.status = FrameStatus::no_closing_flag;
    return r;
  }
  r.frame.segmented = (b[1] & 0x08) != 0;
  r.frame.length = static_cast<std::uint16_t>(length);
  r.frame.control = b[control_at];
  const std::size_t info_begin = has_info ? pos + 2 : pos;
  r.frame.info = b.subspan(info_begin, end - 2 - info_begin);
  r.size = end;
  r.status = FrameStatus::ok;
  return r;
}

}  // namespace meterd::dlms
