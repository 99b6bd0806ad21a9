#pragma once
// Hex bytes from text as people paste it: a plain hex string (also wrapped at any column), bytes
// separated by spaces, ':' or '-', "0x7E, 0xA0" lists, and lines copied from logs and dump tools
// with a timestamp, level or offset column in front (AMS reader, ESPHome, Gurux, xxd,
// hexdump -C). Each line contributes its longest run of hex tokens; timestamps, offsets and the
// ASCII column of a dump are not part of it.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace meterd {

class HexLogReader {
 public:
  // Appends the bytes of every line completed by `text` to `out` (text may arrive in any pieces).
  void feed(std::span<const std::uint8_t> text, std::vector<std::uint8_t>& out);
  // Takes the last line, which has no line break.
  void finish(std::vector<std::uint8_t>& out);

  // An odd hex digit was left over at the end.
  bool dangling_digit() const { return high_nibble_.has_value(); }
  // Non-blank lines in which no hex was found (log messages between dumps, or not hex at all).
  std::uint64_t lines_without_hex() const { return lines_without_hex_; }
  std::uint64_t lines_with_hex() const { return lines_with_hex_; }

 private:
  void take_line(std::string_view line, std::vector<std::uint8_t>& out);
  void digits(std::string_view hex, std::vector<std::uint8_t>& out);

  std::string line_;
  std::optional<std::uint8_t> high_nibble_;
  std::uint64_t lines_without_hex_ = 0, lines_with_hex_ = 0;
  std::size_t offset_width_ = 0;  // width of the offset column dropped so far (hexdump ends with one)
};

// Whole text at once.
std::vector<std::uint8_t> hex_from_log(std::string_view text);

// True when `head` is text (printable ASCII and whitespace) whose lines mostly carry hex: then
// an input without --hex is hex text rather than binary.
bool looks_like_hex_text(std::span<const std::uint8_t> head);

}  // namespace meterd
