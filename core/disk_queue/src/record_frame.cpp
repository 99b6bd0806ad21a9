#include "meterd/disk_queue/record_frame.hpp"

#include <zlib.h>

namespace meterd::disk_queue {
namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint32_t get_u32(std::string_view bytes) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  return v;
}

std::uint32_t frame_crc(std::string_view length_bytes, std::string_view payload) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(length_bytes.data()), static_cast<uInt>(length_bytes.size()));
  // zlib takes uInt lengths; records are capped far below 4 GiB.
  crc = crc32(crc, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size()));
  return static_cast<std::uint32_t>(crc);
}

}  // namespace

std::string frame_header(std::string_view payload) {
  std::string header;
  header.reserve(kFrameHeaderBytes);
  put_u32(header, static_cast<std::uint32_t>(payload.size()));
  put_u32(header, frame_crc(std::string_view(header).substr(0, 4), payload));
  return header;
}

FrameParse parse_frame(std::string_view bytes) {
  FrameParse result;
  if (bytes.size() < kFrameHeaderBytes) return result;  // truncated
  const std::uint32_t length = get_u32(bytes.substr(0, 4));
  if (length > kMaxRecordBytes) {
    result.status = FrameStatus::corrupt;
    return result;
  }
  if (bytes.size() < kFrameHeaderBytes + length) return result;  // truncated
  const std::string_view payload = bytes.substr(kFrameHeaderBytes, length);
  if (frame_crc(bytes.substr(0, 4), payload) != get_u32(bytes.substr(4, 4))) {
    result.status = FrameStatus::corrupt;
    return result;
  }
  result.status = FrameStatus::complete;
  result.payload = payload;
  result.frame_bytes = kFrameHeaderBytes + length;
  return result;
}

}  // namespace meterd::disk_queue
