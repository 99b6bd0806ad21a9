#pragma once
// AES-128 keys as users paste them: "0x..." prefixes, spaces, colons and dashes are common.
#include <array>
#include <cstdint>
#include <string_view>

namespace meterd::dlms {

using AesKey = std::array<std::uint8_t, 16>;

// Accepts 32 hex digits in either case, ignoring a leading 0x and any spaces, colons or dashes.
// Throws std::invalid_argument saying what is wrong (length, character) otherwise.
AesKey parse_aes_key(std::string_view text);

}  // namespace meterd::dlms
