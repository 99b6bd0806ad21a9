#pragma once
// Link-layer frames of the DLMS push stack: HDLC type 3 (IEC 62056-46) and wired M-Bus long
// frames (EN 13757-2). Readers parse one frame at the start of a byte span; they never
// allocate and the returned spans point into the input.
#include <cstddef>
#include <cstdint>
#include <span>

namespace meterd::dlms {

enum class FrameStatus {
  ok,
  need_more,        // the frame is not complete yet
  not_a_frame,      // the bytes cannot start a frame (format, length or address invalid)
  bad_hcs,          // header check sequence wrong: most likely not a frame start at all
  bad_fcs,          // header fine, frame check sequence (or M-Bus checksum) wrong: damaged frame
  no_closing_flag,  // checksums fine but no 7E / 16 after the frame
};

const char* frame_status_name(FrameStatus s);

struct HdlcFrame {
  bool segmented = false;         // S bit: more segments follow
  std::uint16_t length = 0;       // L: bytes between the flags
  std::uint32_t destination = 0;  // address bytes as sent, big-endian packed
  std::uint32_t source = 0;
  std::uint8_t control = 0;
  std::span<const std::uint8_t> info;
};

struct HdlcReadResult {
  FrameStatus status = FrameStatus::need_more;
  HdlcFrame frame;
  std::size_t size = 0;  // opening flag .. last FCS byte (the closing flag is left for the next frame)
};

constexpr std::uint8_t kHdlcFlag = 0x7E;
constexpr std::size_t kHdlcMaxLength = 2047;

// `bytes` must start at an opening flag 7E (not at flag fill; see LinkFrameScanner).
HdlcReadResult read_hdlc_frame(std::span<const std::uint8_t> bytes);

struct MbusFrame {
  std::uint8_t control = 0;
  std::uint8_t address = 0;
  std::uint8_t ci = 0;
  bool final_segment() const { return (ci & 0x10) != 0; }
  std::uint8_t segment_number() const { return ci & 0x0F; }
  std::span<const std::uint8_t> data;  // after CI, including the two TSAP bytes
};

struct MbusReadResult {
  FrameStatus status = FrameStatus::need_more;
  MbusFrame frame;
  std::size_t size = 0;  // 68 .. 16 inclusive
};

constexpr std::uint8_t kMbusStart = 0x68;
constexpr std::uint8_t kMbusStop = 0x16;

// `bytes` must start at 68.
MbusReadResult read_mbus_frame(std::span<const std::uint8_t> bytes);

}  // namespace meterd::dlms
