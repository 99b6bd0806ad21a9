#pragma once
// The one hex helper of meterd: used by decoders, the CLI, tests and diagnostics.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace meterd {

// Uppercase, no separators ("7EA0..."). `max_bytes` shortens long dumps and appends "...".
std::string to_hex(std::span<const std::uint8_t> bytes, std::size_t max_bytes = SIZE_MAX);

// Parses hex text; ASCII whitespace is ignored anywhere. Throws std::invalid_argument
// naming the offending character's position when the text is not hex or has odd length.
std::vector<std::uint8_t> from_hex(std::string_view text);

}  // namespace meterd
