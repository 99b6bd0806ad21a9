#pragma once
// On-disk framing of one queue record: a little-endian u32 payload length, a u32 CRC-32 over
// the length bytes and the payload, then the payload. The CRC covers the length so that a
// torn or overwritten header is detected as surely as a torn payload.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace meterd::disk_queue {

inline constexpr std::size_t kFrameHeaderBytes = 8;
// Larger lengths can only come from a damaged header; refusing them keeps recovery from
// trying to allocate gigabytes.
inline constexpr std::uint32_t kMaxRecordBytes = 16u * 1024u * 1024u;

// Header bytes for `payload`, to be written immediately before it.
std::string frame_header(std::string_view payload);

enum class FrameStatus { complete, truncated, corrupt };

struct FrameParse {
  FrameStatus status = FrameStatus::truncated;
  std::string_view payload;      // valid when complete
  std::size_t frame_bytes = 0;   // header + payload, valid when complete
};

// Parses the frame at the start of `bytes`. `truncated` means the bytes end inside the frame
// (a torn write at the tail of a segment); `corrupt` means the CRC or length is wrong.
FrameParse parse_frame(std::string_view bytes);

}  // namespace meterd::disk_queue
