#include "meterd/dlms/hdlc_frame_writer.hpp"

#include <stdexcept>

#include "meterd/crc16.hpp"
#include "meterd/dlms/axdr_writer.hpp"

namespace meterd::dlms {
namespace {

void append_crc_le(std::vector<std::uint8_t>& out, std::size_t from) {
  const std::uint16_t crc = crc16_x25(std::span<const std::uint8_t>(out).subspan(from));
  out.push_back(static_cast<std::uint8_t>(crc));
  out.push_back(static_cast<std::uint8_t>(crc >> 8));
}

}  // namespace

void append_hdlc_frame(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> destination,
                       std::span<const std::uint8_t> source, std::uint8_t control, std::span<const std::uint8_t> info,
                       bool segmented) {
  const std::size_t header = 2 + destination.size() + source.size() + 1;
  const std::size_t length = header + (info.empty() ? 0 : 2 + info.size()) + 2;
  if (length > 0x7FF) throw std::length_error("HDLC frame longer than 2047 bytes; segment the APDU");
  out.push_back(0x7E);
  const std::size_t start = out.size();
  out.push_back(static_cast<std::uint8_t>(0xA0 | (segmented ? 0x08 : 0x00) | (length >> 8)));
  out.push_back(static_cast<std::uint8_t>(length));
  out.insert(out.end(), destination.begin(), destination.end());
  out.insert(out.end(), source.begin(), source.end());
  out.push_back(control);
  if (!info.empty()) {
    append_crc_le(out, start);
    out.insert(out.end(), info.begin(), info.end());
  }
  append_crc_le(out, start);
  out.push_back(0x7E);
}

void append_gbt_block(std::vector<std::uint8_t>& out, bool last, std::uint16_t number,
                      std::span<const std::uint8_t> data, bool streaming) {
  out.push_back(0xE0);
  out.push_back(static_cast<std::uint8_t>((last ? 0x80 : 0x00) | (streaming ? 0x40 : 0x00)));
  out.push_back(static_cast<std::uint8_t>(number >> 8));
  out.push_back(static_cast<std::uint8_t>(number));
  out.push_back(0x00);
  out.push_back(0x00);
  append_axdr_length(out, data.size());
  out.insert(out.end(), data.begin(), data.end());
}

void append_mbus_frame(std::vector<std::uint8_t>& out, std::uint8_t control, std::uint8_t address, std::uint8_t ci,
                       std::span<const std::uint8_t> data) {
  const std::size_t length = 5 + data.size();
  if (length > 0xFF) throw std::length_error("M-Bus long frame user data too long; use CI segmentation");
  const auto l = static_cast<std::uint8_t>(length);
  out.insert(out.end(), {0x68, l, l, 0x68});
  const std::size_t start = out.size();
  out.insert(out.end(), {control, address, ci, 0x01, 0x67});
  out.insert(out.end(), data.begin(), data.end());
  std::uint8_t sum = 0;
  for (std::size_t i = start; i < out.size(); ++i) sum = static_cast<std::uint8_t>(sum + out[i]);
  out.push_back(sum);
  out.push_back(0x16);
}

}  // namespace meterd::dlms
