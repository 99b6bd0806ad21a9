#include "price_answer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "meterd/time_zone.hpp"

namespace meterd::price_feed {

namespace {
using nlohmann::json;

PriceAnswer refused(const std::string& code, const std::string& problem) {
  PriceAnswer a;
  a.code = code;
  a.problem = problem;
  return a;
}

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  const auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + n, out);
  return ec == std::errc() && end == s.data() + at + n;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '"')) s.remove_suffix(1);
  return s;
}

// Sorted, one price per start, each on the interval grid and plausible.
PriceAnswer checked(std::vector<PricePoint> prices, const PriceFormat& f, const std::string& where) {
  if (prices.empty()) return refused("price_feed_malformed", where + " holds no prices");
  std::sort(prices.begin(), prices.end(), [](const auto& a, const auto& b) { return a.start_ms < b.start_ms; });
  for (std::size_t i = 0; i < prices.size(); ++i) {
    const auto& p = prices[i];
    if (p.start_ms % f.interval_ms != 0)
      return refused("price_feed_malformed", where + ": a price starts at " + format_iso8601(p.start_ms / 1000, 0, true) +
                                                 ", not on the " + std::to_string(f.interval_ms / 60'000) + "-min grid; check interval_min");
    if (i && prices[i - 1].start_ms == p.start_ms)
      return refused("price_feed_malformed", where + ": two prices start at " + format_iso8601(p.start_ms / 1000, 0, true));
    if (!std::isfinite(p.per_kwh) || std::abs(p.per_kwh) > f.max_abs_per_kwh)
      return refused("price_feed_unit", where + ": a price of " + std::to_string(p.per_kwh) + " per kWh (after scale " +
                                            std::to_string(f.scale) + ") is beyond " + std::to_string(f.max_abs_per_kwh) +
                                            "; check scale (e.g. 0.001 for per MWh) and the answer's unit");
  }
  PriceAnswer a;
  a.prices = std::move(prices);
  return a;
}

std::int64_t json_time(const json& v, TimeUnit unit) {
  if (unit == TimeUnit::iso8601) return v.is_string() ? parse_iso8601_ms(v.get<std::string>()) : -1;
  if (!v.is_number_integer() && !(v.is_number() && std::floor(v.get<double>()) == v.get<double>())) return -1;
  const auto n = v.get<std::int64_t>();
  return unit == TimeUnit::s ? n * 1000 : n;
}
}  // namespace

std::int64_t parse_iso8601_ms(std::string_view t) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (t.size() < 16 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') || t[13] != ':' || !digits(t, 0, 4, y) ||
      !digits(t, 5, 2, mo) || !digits(t, 8, 2, d) || !digits(t, 11, 2, h) || !digits(t, 14, 2, mi))
    return -1;
  std::size_t at = 16;
  if (at < t.size() && t[at] == ':') {
    if (!digits(t, at + 1, 2, s)) return -1;
    at += 3;
  }
  if (at < t.size() && t[at] == '.') {  // fractions of a second are dropped
    ++at;
    while (at < t.size() && t[at] >= '0' && t[at] <= '9') ++at;
  }
  int offset_s = 0;
  if (at < t.size() && t[at] == 'Z') {
    ++at;
  } else if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
    int oh = 0, om = 0;
    const bool colon = at + 3 < t.size() && t[at + 3] == ':';
    if (!digits(t, at + 1, 2, oh) || !digits(t, at + (colon ? 4 : 3), 2, om) || oh > 23 || om > 59) return -1;
    offset_s = (oh * 3600 + om * 60) * (t[at] == '-' ? -1 : 1);
    at += colon ? 6 : 5;
  } else {
    return -1;  // a wall clock without offset is ambiguous on DST days
  }
  if (at != t.size() || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return -1;
  const auto back = seconds_to_civil(civil_to_seconds(CivilTime{y, mo, d, 0, 0, 0}));
  if (back.day != d) return -1;
  return (civil_to_seconds(CivilTime{y, mo, d, h, mi, s}) - offset_s) * 1000;
}

PriceAnswer parse_price_json(std::string_view body, const PriceFormat& f) {
  const auto doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (doc.is_discarded()) return refused("price_feed_malformed", "the answer is not JSON");
  json::json_pointer pointer;
  try {
    pointer = json::json_pointer(f.pointer);
  } catch (const json::exception&) {
    return refused("price_feed_malformed", "json_pointer '" + f.pointer + "' is not a JSON pointer");
  }
  if (!doc.contains(pointer) || !doc.at(pointer).is_array())
    return refused("price_feed_malformed", "the answer has no array at '" + f.pointer + "'");
  std::vector<PricePoint> prices;
  std::size_t i = 0;
  for (const auto& item : doc.at(pointer)) {
    const auto where = "entry " + std::to_string(i++);
    if (!item.is_object() || !item.contains(f.time_field) || !item.contains(f.price_field))
      return refused("price_feed_malformed", where + " lacks '" + f.time_field + "' or '" + f.price_field + "'");
    const auto start = json_time(item.at(f.time_field), f.time_unit);
    if (start < 0) return refused("price_feed_malformed", where + ": '" + f.time_field + "' is no time");
    const auto& price = item.at(f.price_field);
    if (!price.is_number()) return refused("price_feed_malformed", where + ": '" + f.price_field + "' is no number");
    if (!f.unit_field.empty()) {
      const auto unit = item.contains(f.unit_field) && item.at(f.unit_field).is_string() ? item.at(f.unit_field).get<std::string>() : "";
      if (unit != f.expected_unit)
        return refused("price_feed_unit", where + " is in '" + unit + "', not '" + f.expected_unit +
                                              "'; set expected_unit and scale to match the feed");
    }
    prices.push_back({start, price.get<double>() * f.scale});
  }
  return checked(std::move(prices), f, "the answer");
}

PriceAnswer parse_price_csv(std::string_view text, const PriceFormat& f) {
  std::vector<PricePoint> prices;
  std::size_t line_no = 0;
  bool first = true;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const auto line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const auto sep = line.find_first_of(",;");
    const auto where = "line " + std::to_string(line_no);
    if (sep == std::string_view::npos) return refused("price_feed_malformed", where + " is not 'start,price'");
    const auto time = trim(line.substr(0, sep)), value = trim(line.substr(sep + 1));
    std::int64_t start = parse_iso8601_ms(time);
    if (start < 0) {
      std::int64_t ms = 0;
      const auto [end, ec] = std::from_chars(time.data(), time.data() + time.size(), ms);
      if (ec == std::errc() && end == time.data() + time.size() && ms >= 0) start = ms;
    }
    double price = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), price);
    const bool number = ec == std::errc() && end == value.data() + value.size();
    if (first && (start < 0 || !number)) {  // a header line
      first = false;
      continue;
    }
    first = false;
    if (start < 0) return refused("price_feed_malformed", where + ": '" + std::string(time) + "' is no time with offset");
    if (!number) return refused("price_feed_malformed", where + ": '" + std::string(value) + "' is no number (a decimal point, not a comma)");
    prices.push_back({start, price * f.scale});
  }
  return checked(std::move(prices), f, "the price file");
}

}  // namespace meterd::price_feed
