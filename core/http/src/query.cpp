#include "meterd/http/query.hpp"

#include <charconv>
#include <cmath>
#include <cctype>
#include <cstdio>

#include "meterd/http/http_error.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::http {

namespace {
int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_fixed(std::string_view text, std::size_t at, std::size_t digits, int& out) {
  if (at + digits > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}
}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      const int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) throw bad_request("malformed percent escape in the URL");
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') throw bad_request("NUL byte in the URL");
    out.push_back(c);
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start <= query.size()) {
    auto amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    const auto pair = query.substr(start, amp - start);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      std::string name = percent_decode(pair.substr(0, eq), true);
      std::string value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
      if (name.empty()) throw bad_request("query parameter without a name");
      if (out.count(name)) throw bad_request("query parameter '" + name + "' given more than once");
      out.emplace(std::move(name), std::move(value));
    }
    start = amp + 1;
  }
  return out;
}

void QueryParams::allow_only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [name, value] : query_) {
    bool known = false;
    for (auto a : allowed) known = known || a == name;
    if (!known) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      throw bad_request("unknown query parameter '" + name + "'" +
                        (list.empty() ? "; this endpoint takes none" : "; accepted: " + list));
    }
  }
}

std::optional<std::string> QueryParams::text(const std::string& name, std::size_t max_length) const {
  auto it = query_.find(name);
  if (it == query_.end()) return std::nullopt;
  if (it->second.empty()) throw bad_request("parameter '" + name + "' is empty");
  if (it->second.size() > max_length)
    throw bad_request("parameter '" + name + "' is longer than " + std::to_string(max_length) + " characters");
  for (unsigned char c : it->second) {
    if (c < 0x20 || c == 0x7f) throw bad_request("parameter '" + name + "' contains control characters");
  }
  return it->second;
}

std::string QueryParams::required_text(const std::string& name, std::size_t max_length) const {
  auto value = text(name, max_length);
  if (!value) throw bad_request("parameter '" + name + "' is required");
  return *value;
}

std::optional<std::int64_t> QueryParams::integer(const std::string& name, std::int64_t min, std::int64_t max) const {
  auto value = text(name, 32);
  if (!value) return std::nullopt;
  std::int64_t out = 0;
  const auto* end = value->data() + value->size();
  const auto [ptr, ec] = std::from_chars(value->data(), end, out);
  if (ec != std::errc() || ptr != end) throw bad_request("parameter '" + name + "' must be an integer");
  if (out < min || out > max)
    throw bad_request("parameter '" + name + "' must be between " + std::to_string(min) + " and " +
                      std::to_string(max));
  return out;
}

std::optional<double> QueryParams::number(const std::string& name, double min, double max) const {
  auto value = text(name, 64);
  if (!value) return std::nullopt;
  double out = 0;
  const auto* end = value->data() + value->size();
  const auto [ptr, ec] = std::from_chars(value->data(), end, out);
  if (ec != std::errc() || ptr != end || !std::isfinite(out))
    throw bad_request("parameter '" + name + "' must be a number");
  if (out < min || out > max)
    throw bad_request("parameter '" + name + "' must be between " + std::to_string(min) + " and " +
                      std::to_string(max));
  return out;
}

std::optional<bool> QueryParams::boolean(const std::string& name) const {
  auto value = text(name, 8);
  if (!value) return std::nullopt;
  if (*value == "true" || *value == "1") return true;
  if (*value == "false" || *value == "0") return false;
  throw bad_request("parameter '" + name + "' must be true or false");
}

std::optional<std::string> QueryParams::choice(const std::string& name,
                                               std::initializer_list<std::string_view> choices) const {
  auto value = text(name, 64);
  if (!value) return std::nullopt;
  std::string list;
  for (auto c : choices) {
    if (c == *value) return value;
    list += (list.empty() ? "" : ", ") + std::string(c);
  }
  throw bad_request("parameter '" + name + "' must be one of: " + list);
}

std::optional<std::vector<std::string>> QueryParams::list(const std::string& name, std::size_t max_items,
                                                          std::size_t max_length) const {
  auto value = text(name, max_items * (max_length + 1));
  if (!value) return std::nullopt;
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= value->size()) {
    auto comma = value->find(',', start);
    if (comma == std::string::npos) comma = value->size();
    auto item = value->substr(start, comma - start);
    if (item.empty()) throw bad_request("parameter '" + name + "' has an empty item");
    if (item.size() > max_length) throw bad_request("an item of parameter '" + name + "' is too long");
    items.push_back(std::move(item));
    start = comma + 1;
  }
  if (items.size() > max_items)
    throw bad_request("parameter '" + name + "' has more than " + std::to_string(max_items) + " items");
  return items;
}

std::optional<std::int64_t> QueryParams::instant_ms(const std::string& name, const TimeZone& zone) const {
  auto value = text(name, 40);
  if (!value) return std::nullopt;
  auto parsed = parse_instant_ms(*value, zone);
  if (!parsed)
    throw bad_request("parameter '" + name +
                      "' must be milliseconds since 1970, an RFC 3339 time (2024-03-31T10:00:00+02:00) "
                      "or a local date (2024-03-31) or local time (2024-03-31T10:00), within the years 1970 to 9999");
  return parsed;
}

namespace {
std::optional<std::int64_t> in_range(std::int64_t ms) {
  if (ms < kMinInstantMs || ms > kMaxInstantMs) return std::nullopt;
  return ms;
}
}  // namespace

std::optional<std::int64_t> parse_instant_ms(std::string_view text, const TimeZone& zone) {
  if (text.empty()) return std::nullopt;
  // Plain integer: epoch milliseconds.
  if (text.find('-', 1) == std::string_view::npos) {
    std::int64_t ms = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    return in_range(ms);
  }
  CivilTime c;
  if (!parse_fixed(text, 0, 4, c.year) || text.size() < 10 || text[4] != '-' || !parse_fixed(text, 5, 2, c.month) ||
      text[7] != '-' || !parse_fixed(text, 8, 2, c.day))
    return std::nullopt;
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31) return std::nullopt;
  std::size_t at = 10;
  int millis = 0;
  if (at < text.size()) {
    if (text[at] != 'T' && text[at] != ' ') return std::nullopt;
    if (!parse_fixed(text, at + 1, 2, c.hour) || at + 3 >= text.size() || text[at + 3] != ':' ||
        !parse_fixed(text, at + 4, 2, c.minute))
      return std::nullopt;
    at += 6;
    if (at < text.size() && text[at] == ':') {
      if (!parse_fixed(text, at + 1, 2, c.second)) return std::nullopt;
      at += 3;
      if (at < text.size() && text[at] == '.') {
        std::size_t digits = 0;
        ++at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
          if (digits < 3) millis = millis * 10 + (text[at] - '0');
          ++digits;
          ++at;
        }
        if (digits == 0) return std::nullopt;
        for (std::size_t d = digits; d < 3; ++d) millis *= 10;
      }
    }
    if (c.hour > 23 || c.minute > 59 || c.second > 60) return std::nullopt;
  }
  const std::int64_t wall = civil_to_seconds(c);
  // A day-of-month beyond the month's length would silently roll over; refuse it instead.
  const CivilTime back = seconds_to_civil(wall);
  if (back.day != c.day || back.month != c.month) return std::nullopt;
  if (at == text.size()) {
    const auto candidates = zone.local_to_utc(wall);
    if (candidates.empty())
      throw bad_request("local time " + std::string(text) + " does not exist in " + zone.name() +
                        " (clocks skip it)");
    return in_range(candidates.front() * 1000 + millis);
  }
  if (text[at] == 'Z' && at + 1 == text.size()) return in_range(wall * 1000 + millis);
  if ((text[at] == '+' || text[at] == '-') && at + 6 == text.size() && text[at + 3] == ':') {
    int oh = 0, om = 0;
    if (!parse_fixed(text, at + 1, 2, oh) || !parse_fixed(text, at + 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    const int offset = (oh * 3600 + om * 60) * (text[at] == '-' ? -1 : 1);
    return in_range((wall - offset) * 1000 + millis);
  }
  return std::nullopt;
}

}  // namespace meterd::http
