#include "meterd/hex.hpp"

namespace meterd {

std::string to_hex(std::span<const std::uint8_t> bytes, std::size_t max_bytes) {
  static constexpr char digits[] = "0123456789ABCDEF";
  const std::size_t n = bytes.size() < max_bytes ? bytes.size() : max_bytes;
  std::string out;
  out.reserve(n * 2 + 3);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[bytes[i] >> 4]);
    out.push_back(digits[bytes[i] & 0x0F]);
  }
  if (n < bytes.size()) out += "...";
  return out;
}

static int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::uint8_t> from_hex(std::string_view text) {
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 2);
  int high = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') continue;
    const int v = nibble(c);
    if (v < 0)
      throw std::invalid_argument("not a hex digit at offset " + std::to_string(i) +
                                  " (expected 0-9, a-f or A-F; whitespace is ignored)");
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) throw std::invalid_argument("odd number of hex digits: the last byte is incomplete");
  return out;
}

}  // namespace meterd
