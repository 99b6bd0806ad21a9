#include "meterd/csv_table/number_parser.hpp"

#include <charconv>
#include <cmath>

namespace meterd::csv_table {
namespace {

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<double> parse_number(std::string_view text, bool decimal_comma) {
  text = trim_spaces(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  if (decimal_comma) {
    // from_chars only knows '.', so the cell is copied to a small stack buffer with the mark
    // swapped; cells longer than any sensible number are refused rather than truncated.
    char buffer[64];
    if (text.size() > sizeof buffer) return std::nullopt;
    std::size_t n = 0;
    for (char c : text) {
      if (c == '.') return std::nullopt;
      buffer[n++] = c == ',' ? '.' : c;
    }
    const auto [end, ec] = std::from_chars(buffer, buffer + n, value);
    if (ec != std::errc() || end != buffer + n) return std::nullopt;
  } else {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  }
  // "nan" and "inf" parse, but no meter measures them; treat them as bad cells.
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<long long> parse_integer(std::string_view text) {
  text = trim_spaces(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace meterd::csv_table
