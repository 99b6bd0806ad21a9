#include "dsmr_value_parser.hpp"

#include <cstdint>

namespace meterd::dsmr {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int two_digits(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

// 18 significant digits fit an int64 exactly; longer registers do not occur in DSMR.
constexpr int kMaxDigits = 18;

}  // namespace

std::optional<NumberWithUnit> parse_number_with_unit(std::string_view group) {
  NumberWithUnit out;
  std::string_view number = group;
  if (const auto star = group.find('*'); star != std::string_view::npos) {
    number = group.substr(0, star);
    out.unit = group.substr(star + 1);
    if (out.unit.empty()) return std::nullopt;
    for (char c : out.unit)
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '/' || c == '%'))
        return std::nullopt;
  }
  bool negative = false;
  if (!number.empty() && number.front() == '-') {
    negative = true;
    number.remove_prefix(1);
  }
  std::int64_t mantissa = 0;
  int digits = 0, decimals = 0;
  bool seen_point = false;
  for (char c : number) {
    if (c == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (!is_digit(c) || ++digits > kMaxDigits) return std::nullopt;
    mantissa = mantissa * 10 + (c - '0');
    if (seen_point) ++decimals;
  }
  if (digits == 0) return std::nullopt;
  double scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  out.value = static_cast<double>(mantissa) / scale;
  if (negative) out.value = -out.value;
  return out;
}

std::optional<DsmrTimestamp> parse_timestamp(std::string_view group) {
  if (group.size() != 12 && group.size() != 13) return std::nullopt;
  for (std::size_t i = 0; i < 12; ++i)
    if (!is_digit(group[i])) return std::nullopt;
  DsmrTimestamp ts;
  if (group.size() == 13) {
    if (group[12] == 'S') ts.dst = true;
    else if (group[12] == 'W') ts.dst = false;
    else return std::nullopt;
  }
  ts.wall = CivilTime{2000 + two_digits(group, 0), two_digits(group, 2), two_digits(group, 4),
                      two_digits(group, 6), two_digits(group, 8), two_digits(group, 10)};
  const CivilTime& w = ts.wall;
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > 31 || w.hour > 23 || w.minute > 59 || w.second > 59)
    return std::nullopt;
  return ts;
}

bool is_placeholder_timestamp(std::string_view group) {
  // 1970-01-01 is the Unix epoch printed by meters whose channel never received a reading.
  return group.starts_with("700101") || !parse_timestamp(group);
}

std::optional<std::string> decode_hex_text(std::string_view group) {
  if (group.empty() || group.size() % 2 != 0) return std::nullopt;
  std::string text;
  text.reserve(group.size() / 2);
  for (std::size_t i = 0; i < group.size(); i += 2) {
    const int hi = hex_nibble(group[i]), lo = hex_nibble(group[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    const char c = static_cast<char>(hi * 16 + lo);
    const bool printable = (c >= 0x20 && c < 0x7F) || c == '\r' || c == '\n' || c == '\t';
    if (!printable) return std::nullopt;
    text += c;
  }
  return text;
}

bool looks_like_obis(std::string_view group) {
  const auto dash = group.find('-'), colon = group.find(':');
  return dash != std::string_view::npos && colon != std::string_view::npos && dash < colon &&
         group.find('.') != std::string_view::npos;
}

}  // namespace meterd::dsmr
