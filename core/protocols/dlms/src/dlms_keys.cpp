#include "meterd/dlms/dlms_keys.hpp"

#include <stdexcept>
#include <string>

namespace meterd::dlms {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

AesKey parse_aes_key(std::string_view text) {
  std::string digits;
  digits.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (text.size() - i >= 2 && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) i += 2;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == ':' || c == '-' || c == '\t') continue;
    if (hex_value(c) < 0)
      throw std::invalid_argument("key contains '" + std::string(1, c) + "' at position " + std::to_string(i) +
                                  "; expected 32 hexadecimal digits as issued by the grid operator");
    digits.push_back(c);
  }
  if (digits.size() != 32)
    throw std::invalid_argument("key has " + std::to_string(digits.size()) +
                                " hexadecimal digits; an AES-128 key has exactly 32 (16 bytes)");
  AesKey key{};
  for (std::size_t k = 0; k < key.size(); ++k)
    key[k] = static_cast<std::uint8_t>(hex_value(digits[2 * k]) << 4 | hex_value(digits[2 * k + 1]));
  return key;
}

}  // namespace meterd::dlms
