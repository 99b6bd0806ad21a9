#pragma once
// Turns hex text that arrives in arbitrary pieces (a pipe, a pasted dump) into bytes. Pairs of
// digits may be split across pieces and whitespace may appear anywhere, also between the two
// digits of a byte, as in dumps wrapped at a fixed column.
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

namespace meterd::cli {

class HexTextStream {
 public:
  // Appends the bytes completed by `text` to `out`. Throws std::invalid_argument naming the
  // offset (counted over the whole input) of the first character that is neither hex nor space.
  void feed(std::span<const std::uint8_t> text, std::vector<std::uint8_t>& out);
  // True when an odd digit is left over at the end of the input.
  bool dangling_digit() const { return high_nibble_.has_value(); }

 private:
  std::optional<std::uint8_t> high_nibble_;
  std::uint64_t offset_ = 0;
};

}  // namespace meterd::cli
