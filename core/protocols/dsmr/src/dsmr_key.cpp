#include "dsmr_key.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "meterd/hex.hpp"

namespace meterd::dsmr {

std::optional<std::array<std::uint8_t, 16>> parse_aes128_key(std::string_view text, std::string_view what) {
  std::string digits;
  if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
  for (char c : text)
    if (c != ':' && c != '-' && c != ' ' && c != '\t') digits += c;
  if (digits.empty()) return std::nullopt;
  std::vector<std::uint8_t> bytes;
  try {
    bytes = from_hex(digits);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string(what) + " is not hex: " + e.what());
  }
  if (bytes.size() != 16)
    throw std::invalid_argument(std::string(what) + " must be 16 bytes (32 hex digits), got " +
                                std::to_string(bytes.size()) + " bytes");
  std::array<std::uint8_t, 16> key{};
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

}  // namespace meterd::dsmr
