#include "hex_text_stream.hpp"

#include <string>

namespace meterd::cli {
namespace {

std::optional<std::uint8_t> nibble(std::uint8_t c) {
  if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
  return std::nullopt;
}

bool is_space(std::uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

void HexTextStream::feed(std::span<const std::uint8_t> text, std::vector<std::uint8_t>& out) {
  for (std::uint8_t c : text) {
    const std::uint64_t at = offset_++;
    if (is_space(c)) continue;
    const auto n = nibble(c);
    if (!n) {
      const std::string shown = c >= 0x20 && c < 0x7F ? std::string("'") + static_cast<char>(c) + "'"
                                                      : "byte " + std::to_string(c);
      throw std::invalid_argument("not hex: " + shown + " at offset " + std::to_string(at));
    }
    if (high_nibble_) {
      out.push_back(static_cast<std::uint8_t>(*high_nibble_ << 4 | *n));
      high_nibble_.reset();
    } else {
      high_nibble_ = n;
    }
  }
}

}  // namespace meterd::cli
