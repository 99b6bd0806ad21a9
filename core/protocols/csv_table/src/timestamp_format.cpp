#include "meterd/csv_table/timestamp_format.hpp"

#include <charconv>

#include "meterd/time_zone.hpp"

namespace meterd::csv_table {
namespace {

// Reads between `min` and `max` digits; fixed-width fields stop at `max` so "20210328" works.
bool read_digits(std::string_view text, std::size_t& pos, int min, int max, int& value, int* digits = nullptr) {
  int n = 0;
  value = 0;
  while (n < max && pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++n;
  }
  if (digits) *digits = n;
  return n >= min;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Checks ranges and folds "24:00" into the next day's midnight.
bool finish(const CivilTime& c, ParsedTimestamp& out, const char*& why) {
  if (c.month < 1 || c.month > 12) return why = "month out of range", false;
  if (c.day < 1 || c.day > days_in_month(c.year, c.month)) return why = "day out of range", false;
  if (c.hour > 24 || (c.hour == 24 && (c.minute != 0 || c.second != 0))) return why = "hour out of range", false;
  if (c.minute > 59) return why = "minute out of range", false;
  if (c.second > 59) return why = "second out of range", false;
  out.local_seconds = civil_to_seconds(c);  // hour 24 simply lands on the next midnight
  return true;
}

// "Z", "+01:00", "+0100", "+01".
bool read_offset(std::string_view text, std::size_t& pos, ParsedTimestamp& out) {
  if (pos < text.size() && text[pos] == 'Z') {
    ++pos;
    out.has_offset = true;
    out.offset_seconds = 0;
    return true;
  }
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return false;
  const int sign = text[pos] == '-' ? -1 : 1;
  ++pos;
  int hours = 0, minutes = 0;
  if (!read_digits(text, pos, 2, 2, hours)) return false;
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && !read_digits(text, pos, 2, 2, minutes))
    return false;
  if (hours > 23 || minutes > 59) return false;
  out.has_offset = true;
  out.offset_seconds = sign * (hours * 3600 + minutes * 60);
  return true;
}

int fraction_to_ms(int value, int digits) {
  while (digits > 3) {
    value /= 10;
    --digits;
  }
  while (digits < 3) {
    value *= 10;
    ++digits;
  }
  return value;
}

}  // namespace

std::optional<TimestampFormat> TimestampFormat::compile(std::string_view pattern, std::string& error) {
  TimestampFormat f;
  f.pattern_ = std::string(pattern);
  if (pattern == "iso8601") {
    f.kind_ = Kind::iso8601;
    return f;
  }
  if (pattern == "unix") {
    f.kind_ = Kind::unix_seconds;
    return f;
  }
  if (pattern == "unix_ms") {
    f.kind_ = Kind::unix_ms;
    return f;
  }
  bool seen[9] = {};
  for (std::size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    std::size_t run = 1;
    while (i + run < pattern.size() && pattern[i + run] == c) ++run;
    Token t{Field::literal, 0, 0, c};
    auto fixed = [&](Field field, std::size_t width) {
      t.field = field;
      t.min_digits = static_cast<std::uint8_t>(width);
      t.max_digits = static_cast<std::uint8_t>(width);
    };
    switch (c) {
      case 'y':
        if (run != 4) return error = "year must be 'yyyy' in timestamp format '" + f.pattern_ + "'", std::nullopt;
        fixed(Field::year, 4);
        break;
      case 'M':
      case 'd':
      case 'H':
      case 'm':
      case 's': {
        if (run > 2) {
          error = std::string("'") + c + "' may appear once or twice in timestamp format '" + f.pattern_ + "'";
          return std::nullopt;
        }
        const Field field = c == 'M' ? Field::month : c == 'd' ? Field::day : c == 'H' ? Field::hour
                          : c == 'm' ? Field::minute : Field::second;
        fixed(field, 2);
        if (run == 1) t.min_digits = 1;  // "d.M.yyyy" accepts "1.3.2021" and "01.03.2021"
        break;
      }
      case 'S':
        t.field = Field::fraction;
        t.min_digits = 1;
        t.max_digits = static_cast<std::uint8_t>(run > 9 ? 9 : run);
        break;
      case 'X':
        t.field = Field::offset;
        break;
      default:
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
          error = std::string("unknown letter '") + c + "' in timestamp format '" + f.pattern_ +
                  "' (use yyyy MM dd HH mm ss S XXX, or iso8601, unix, unix_ms)";
          return std::nullopt;
        }
        for (std::size_t k = 0; k < run; ++k) f.tokens_.push_back(t);
        i += run;
        continue;
    }
    if (seen[static_cast<int>(t.field)]) {
      error = std::string("'") + c + "' appears twice in timestamp format '" + f.pattern_ + "'";
      return std::nullopt;
    }
    seen[static_cast<int>(t.field)] = true;
    f.tokens_.push_back(t);
    i += run;
  }
  if (!seen[static_cast<int>(Field::year)] || !seen[static_cast<int>(Field::month)] ||
      !seen[static_cast<int>(Field::day)]) {
    error = "timestamp format '" + f.pattern_ + "' needs a year, month and day (yyyy, MM, dd)";
    return std::nullopt;
  }
  return f;
}

bool TimestampFormat::parse(std::string_view text, ParsedTimestamp& out, const char*& why) const {
  out = ParsedTimestamp{};
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return why = "empty timestamp", false;
  switch (kind_) {
    case Kind::pattern:
      return parse_pattern(text, out, why);
    case Kind::iso8601:
      return parse_iso8601(text, out, why);
    case Kind::unix_seconds:
    case Kind::unix_ms: {
      long long v = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size()) return why = "not a whole number", false;
      out.has_offset = true;
      if (kind_ == Kind::unix_ms) {
        out.local_seconds = v >= 0 ? v / 1000 : -((-v + 999) / 1000);
        out.millisecond = static_cast<int>(v - out.local_seconds * 1000);
      } else {
        out.local_seconds = v;
      }
      return true;
    }
  }
  return false;
}

bool TimestampFormat::parse_pattern(std::string_view text, ParsedTimestamp& out, const char*& why) const {
  CivilTime c;
  c.year = 0;
  std::size_t pos = 0;
  for (const Token& t : tokens_) {
    if (t.field == Field::literal) {
      if (pos >= text.size() || text[pos] != t.literal) return why = "does not match the timestamp format", false;
      ++pos;
      continue;
    }
    if (t.field == Field::offset) {
      if (!read_offset(text, pos, out)) return why = "bad UTC offset", false;
      continue;
    }
    int value = 0, digits = 0;
    if (!read_digits(text, pos, t.min_digits, t.max_digits, value, &digits))
      return why = "does not match the timestamp format", false;
    switch (t.field) {
      case Field::year: c.year = value; break;
      case Field::month: c.month = value; break;
      case Field::day: c.day = value; break;
      case Field::hour: c.hour = value; break;
      case Field::minute: c.minute = value; break;
      case Field::second: c.second = value; break;
      case Field::fraction: out.millisecond = fraction_to_ms(value, digits); break;
      default: break;
    }
  }
  if (pos != text.size()) return why = "text after the timestamp", false;
  return finish(c, out, why);
}

bool TimestampFormat::parse_iso8601(std::string_view text, ParsedTimestamp& out, const char*& why) {
  CivilTime c;
  std::size_t pos = 0;
  auto expect = [&](char ch) {
    if (pos < text.size() && text[pos] == ch) return ++pos, true;
    return false;
  };
  if (!read_digits(text, pos, 4, 4, c.year) || !expect('-') || !read_digits(text, pos, 2, 2, c.month) ||
      !expect('-') || !read_digits(text, pos, 2, 2, c.day))
    return why = "not an ISO 8601 date (yyyy-MM-dd)", false;
  c.hour = c.minute = c.second = 0;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
    ++pos;
    if (!read_digits(text, pos, 2, 2, c.hour) || !expect(':') || !read_digits(text, pos, 2, 2, c.minute))
      return why = "not an ISO 8601 time (HH:mm)", false;
    if (expect(':') && !read_digits(text, pos, 2, 2, c.second)) return why = "bad seconds", false;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      int value = 0, digits = 0;
      if (!read_digits(text, pos, 1, 9, value, &digits)) return why = "bad fraction of a second", false;
      out.millisecond = fraction_to_ms(value, digits);
    }
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos < text.size() && !read_offset(text, pos, out)) return why = "bad UTC offset", false;
  }
  if (pos != text.size()) return why = "text after the timestamp", false;
  return finish(c, out, why);
}

}  // namespace meterd::csv_table
