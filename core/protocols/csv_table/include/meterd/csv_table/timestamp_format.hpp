#pragma once
// Timestamp formats of CSV files, compiled once and then applied to every row without
// allocating. Patterns use the letters spreadsheet tools and the Java CII tool use:
//   yyyy year, MM/M month, dd/d day, HH/H hour (24 h; "24:00" allowed as the end of a day),
//   mm minute, ss second, S… fraction of a second, XXX offset ("Z", "+01:00", "+0100").
// Any other character must appear literally. Named formats:
//   iso8601  "2021-03-28T01:45:00", with ' ' or 'T', optional seconds, fraction and offset
//   unix     seconds since 1970 UTC;  unix_ms  milliseconds since 1970 UTC
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meterd::csv_table {

struct ParsedTimestamp {
  // Wall clock as seconds since 1970 as if it were UTC (meterd::civil_to_seconds); when
  // `has_offset`, the UTC instant is local_seconds - offset_seconds.
  std::int64_t local_seconds = 0;
  int millisecond = 0;
  bool has_offset = false;
  int offset_seconds = 0;
};

class TimestampFormat {
 public:
  // Empty optional and `error` filled when the pattern cannot be used.
  static std::optional<TimestampFormat> compile(std::string_view pattern, std::string& error);

  // False when `text` does not match; `why` then holds a short reason.
  bool parse(std::string_view text, ParsedTimestamp& out, const char*& why) const;
  const std::string& pattern() const { return pattern_; }

 private:
  enum class Field : std::uint8_t { literal, year, month, day, hour, minute, second, fraction, offset };
  struct Token {
    Field field;
    std::uint8_t min_digits;
    std::uint8_t max_digits;
    char literal;
  };
  enum class Kind : std::uint8_t { pattern, iso8601, unix_seconds, unix_ms };

  bool parse_pattern(std::string_view text, ParsedTimestamp& out, const char*& why) const;
  static bool parse_iso8601(std::string_view text, ParsedTimestamp& out, const char*& why);

  std::string pattern_;
  Kind kind_ = Kind::pattern;
  std::vector<Token> tokens_;
};

}  // namespace meterd::csv_table
