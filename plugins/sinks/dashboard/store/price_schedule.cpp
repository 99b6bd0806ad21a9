#include "price_schedule.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>

#include "calendar.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dashboard {

namespace {
constexpr double kHoursPerYear = 8760.0;
constexpr double kHoursPerWeek = 168.0;

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

[[noreturn]] void refuse(std::string_view part, const std::string& why) {
  throw std::invalid_argument("option 'prices': '" + std::string(part) + "' " + why +
                              "; write e.g. '2025-01-01 ht=0.31 nt=0.21, 2026-01-01 ht=0.32 nt=0.22' "
                              "or '2025-01-01 price=0.27'");
}

bool read_number(std::string_view text, double& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// "2025-01-01" as its local midnight; nullopt when it is no calendar date.
std::optional<std::int64_t> local_midnight(std::string_view date, const TimeZone& zone) {
  int y = 0, m = 0, d = 0;
  const auto digits = [&](std::size_t at, std::size_t n, int& out) {
    const auto [end, ec] = std::from_chars(date.data() + at, date.data() + at + n, out);
    return ec == std::errc() && end == date.data() + at + n;
  };
  if (date.size() != 10 || date[4] != '-' || date[7] != '-' || !digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d))
    return std::nullopt;
  const auto wall = civil_to_seconds(CivilTime{y, m, d, 0, 0, 0});
  const auto back = seconds_to_civil(wall);
  if (m < 1 || m > 12 || back.day != d || back.month != m) return std::nullopt;
  // Midnight never falls into a skipped hour in the zones meterd serves; the earliest of the
  // candidates when it repeats, and one hour later where a zone skips it.
  auto utc = zone.local_to_utc(wall);
  if (utc.empty()) utc = zone.local_to_utc(wall + 3600);
  if (utc.empty()) return std::nullopt;
  return utc.front() * 1000;
}

PriceSet parse_set(std::string_view part, bool has_schedule, const TimeZone& zone) {
  PriceSet set;
  const auto space = part.find(' ');
  set.from_date = std::string(part.substr(0, space));
  const auto midnight = local_midnight(set.from_date, zone);
  if (!midnight) refuse(part, "does not start with a date like 2025-01-01");
  set.from_ms = *midnight;
  bool single = false, high = false, low = false;
  auto rest = space == std::string_view::npos ? std::string_view{} : trim(part.substr(space + 1));
  while (!rest.empty()) {
    const auto gap = rest.find(' ');
    const auto item = rest.substr(0, gap);
    rest = gap == std::string_view::npos ? std::string_view{} : trim(rest.substr(gap + 1));
    const auto eq = item.find('=');
    const auto key = item.substr(0, eq);
    double value = 0;
    if (eq == std::string_view::npos || !read_number(item.substr(eq + 1), value))
      refuse(part, "has '" + std::string(item) + "', not key=number");
    if (value < 0) refuse(part, "has a negative price");
    if (key == "price") set.single = value, single = true;
    else if (key == "ht") set.high = value, high = true;
    else if (key == "nt") set.low = value, low = true;
    else refuse(part, "has '" + std::string(key) + "'; the keys are price, ht and nt");
  }
  if (single == (high || low)) refuse(part, "needs either price= or both ht= and nt=");
  if (high != low) refuse(part, "needs both ht= and nt=");
  if (high && !has_schedule) refuse(part, "gives ht/nt prices but no ht_schedule is set; set it, or use price=");
  if (single) set.high = set.low = set.single;
  return set;
}

// Local days of the month the local day starting at `day_ms` lies in.
int days_in_month(std::int64_t day_ms, const TimeZone& zone) {
  const auto c = seconds_to_civil(zone.utc_to_local(day_ms / 1000));
  const int next_year = c.month == 12 ? c.year + 1 : c.year, next_month = c.month == 12 ? 1 : c.month + 1;
  return static_cast<int>(days_from_civil(next_year, next_month, 1) - days_from_civil(c.year, c.month, 1));
}
}  // namespace

std::vector<PriceSet> parse_dated_prices(std::string_view text, bool has_schedule, const TimeZone& zone) {
  std::vector<PriceSet> sets;
  text = trim(text);
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto part = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : trim(text.substr(comma + 1));
    auto set = parse_set(part, has_schedule, zone);
    if (!sets.empty() && set.from_ms <= sets.back().from_ms)
      refuse(part, "is not after " + sets.back().from_date + "; list the dates in ascending order, each once");
    sets.push_back(std::move(set));
  }
  return sets;
}

PriceSet Prices::set_at(std::int64_t utc_ms) const {
  if (dated.empty()) return PriceSet{{}, 0, single, high, low};
  auto it = dated.begin();
  for (auto next = it + 1; next != dated.end() && next->from_ms <= utc_ms; ++next) it = next;
  return *it;
}

double Prices::price_at(std::int64_t utc_ms, const TimeZone& zone) const {
  const auto set = set_at(utc_ms);
  if (schedule.empty()) return set.single;
  return schedule.is_high(utc_ms, zone) ? set.high : set.low;
}

Charge Prices::charge(double wh, std::int64_t start_ms, const TimeZone& zone) const {
  Charge c;
  c.cost = wh / 1000.0 * price_at(start_ms, zone);
  if (schedule.empty()) return c;
  if (schedule.is_high(start_ms, zone)) {
    c.high_wh = wh;
    c.high_cost = c.cost;
  } else {
    c.low_wh = wh;
    c.low_cost = c.cost;
  }
  return c;
}

double Prices::fixed_fee(std::int64_t from_ms, std::int64_t to_ms, const TimeZone& zone) const {
  if (fixed_fee_per_month <= 0 || to_ms <= from_ms) return 0;
  double fee = 0;
  for (auto day = period_start(Period::day, from_ms, zone); day < to_ms;) {
    const auto next = period_next(Period::day, day, zone);
    const auto overlap = std::min(next, to_ms) - std::max(day, from_ms);
    fee += fixed_fee_per_month / days_in_month(day, zone) * static_cast<double>(overlap) / static_cast<double>(next - day);
    day = next;
  }
  return fee;
}

double Prices::yearly_cost_of(double watts, std::int64_t at_ms) const {
  const auto set = set_at(at_ms);
  const double kwh = watts * kHoursPerYear / 1000.0;
  if (schedule.empty()) return kwh * set.single;
  const double high_share = schedule.high_hours_per_week() / kHoursPerWeek;
  return kwh * (high_share * set.high + (1 - high_share) * set.low);
}

}  // namespace meterd::dashboard
