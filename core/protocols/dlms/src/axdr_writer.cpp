#include "meterd/dlms/axdr_writer.hpp"

#include <stdexcept>

namespace meterd::dlms {

void append_axdr_length(std::vector<std::uint8_t>& out, std::size_t length) {
  if (length < 0x80) {
    out.push_back(static_cast<std::uint8_t>(length));
  } else if (length <= 0xFF) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(length));
  } else if (length <= 0xFFFF) {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(length >> 8));
    out.push_back(static_cast<std::uint8_t>(length));
  } else if (length <= 0xFFFFFFFFu) {
    out.push_back(0x84);
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(length >> shift));
  } else {
    throw std::length_error("A-XDR length exceeds 32 bits");
  }
}

AxdrWriter& AxdrWriter::header(std::uint8_t tag, std::size_t count) {
  out_.push_back(tag);
  append_axdr_length(out_, count);
  return *this;
}

AxdrWriter& AxdrWriter::fixed(std::uint8_t tag, std::uint64_t v, int bytes) {
  out_.push_back(tag);
  for (int i = bytes - 1; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  return *this;
}

AxdrWriter& AxdrWriter::octet_string(std::span<const std::uint8_t> bytes) {
  header(0x09, bytes.size());
  out_.insert(out_.end(), bytes.begin(), bytes.end());
  return *this;
}

AxdrWriter& AxdrWriter::octet_string(std::string_view text) {
  header(0x09, text.size());
  out_.insert(out_.end(), text.begin(), text.end());
  return *this;
}

AxdrWriter& AxdrWriter::visible_string(std::string_view text) {
  header(0x0A, text.size());
  out_.insert(out_.end(), text.begin(), text.end());
  return *this;
}

}  // namespace meterd::dlms
