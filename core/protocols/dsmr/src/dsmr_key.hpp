#pragma once
// Key input as users paste it: "0x" prefixes, spaces, colons, dashes and lower case happen.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace meterd::dsmr {

// Empty text = no key. Throws std::invalid_argument naming `what` when the text is not
// exactly 16 bytes of hex, so a mistyped key is caught at configuration time.
std::optional<std::array<std::uint8_t, 16>> parse_aes128_key(std::string_view text, std::string_view what);

}  // namespace meterd::dsmr
