#include "calendar.hpp"

#include <stdexcept>
#include <string>

#include "meterd/time_zone.hpp"

namespace meterd::dashboard {

namespace {
// Every public function checks its instants here first, so the second and day arithmetic
// below (and in the time-zone helper) stays far from the int64 limits.
std::int64_t checked(std::int64_t ms) {
  if (ms < kCalendarMinMs || ms > kCalendarMaxMs)
    throw std::out_of_range("instant " + std::to_string(ms) + " ms is outside the calendar's years 1 to 20000");
  return ms;
}

std::int64_t secs(std::int64_t ms) {
  checked(ms);
  return ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
}

// UTC instant of local midnight starting the civil date y-m-d.
std::int64_t local_midnight(int y, int m, int d, const TimeZone& zone) {
  const auto wall = days_from_civil(y, m, d) * 86400;
  // A day whose midnight is skipped by DST starts at the first instant that exists after it.
  return zone.start_of_local_day(wall - zone.offset_at(wall) + 12 * 3600) * 1000;
}
}  // namespace

bool parse_period(std::string_view text, Period& out) {
  if (text == "hour") out = Period::hour;
  else if (text == "day") out = Period::day;
  else if (text == "week") out = Period::week;
  else if (text == "month") out = Period::month;
  else if (text == "year") out = Period::year;
  else return false;
  return true;
}

std::int64_t period_start(Period period, std::int64_t t_ms, const TimeZone& zone) {
  const auto s = secs(t_ms);
  if (period == Period::hour) {
    // Local hours; with whole-hour offsets these are UTC hours, but not in every zone.
    const auto local = zone.utc_to_local(s);
    return (s - (((local % 3600) + 3600) % 3600)) * 1000;
  }
  const auto c = seconds_to_civil(zone.utc_to_local(s));
  switch (period) {
    case Period::day: return local_midnight(c.year, c.month, c.day, zone);
    case Period::week: {
      const auto days = days_from_civil(c.year, c.month, c.day);
      const auto monday = days - (((days % 7) + 7 + 3) % 7);
      const auto mc = seconds_to_civil(monday * 86400);
      return local_midnight(mc.year, mc.month, mc.day, zone);
    }
    case Period::month: return local_midnight(c.year, c.month, 1, zone);
    case Period::year: return local_midnight(c.year, 1, 1, zone);
    case Period::hour: break;
  }
  return t_ms;
}

std::int64_t period_next(Period period, std::int64_t start_ms, const TimeZone& zone) {
  const auto c = seconds_to_civil(zone.utc_to_local(secs(start_ms)));
  switch (period) {
    case Period::hour: return checked(start_ms + 3'600'000);
    case Period::day: {
      const auto n = seconds_to_civil((days_from_civil(c.year, c.month, c.day) + 1) * 86400);
      return local_midnight(n.year, n.month, n.day, zone);
    }
    case Period::week: {
      const auto n = seconds_to_civil((days_from_civil(c.year, c.month, c.day) + 7) * 86400);
      return local_midnight(n.year, n.month, n.day, zone);
    }
    case Period::month: return c.month == 12 ? local_midnight(c.year + 1, 1, 1, zone) : local_midnight(c.year, c.month + 1, 1, zone);
    case Period::year: return local_midnight(c.year + 1, 1, 1, zone);
  }
  return start_ms;
}

std::int64_t shift_years(std::int64_t t_ms, int years, const TimeZone& zone) {
  if (years < -10000 || years > 10000) throw std::out_of_range("a shift of " + std::to_string(years) + " years");
  const auto s = secs(t_ms);
  auto c = seconds_to_civil(zone.utc_to_local(s));
  c.year += years;
  if (c.month == 2 && c.day == 29) c.day = 28;
  const auto candidates = zone.local_to_utc(civil_to_seconds(c));
  if (candidates.empty()) return checked((civil_to_seconds(c) - zone.offset_at(s)) * 1000 + (t_ms - s * 1000));
  return checked(candidates.front() * 1000 + (t_ms - s * 1000));
}

std::vector<std::int64_t> period_edges(Period period, std::int64_t from_ms, std::int64_t to_ms, const TimeZone& zone) {
  checked(to_ms);
  std::vector<std::int64_t> edges;
  auto t = period_start(period, from_ms, zone);
  edges.push_back(t);
  while (t < to_ms) {
    // Most days begin at midnight and last 24 h: unless the offset changes within, the next
    // midnight is 24 h on. (A day may begin at 01:00, where summer time starts at midnight.)
    const auto day_later = t + 86'400'000;
    const bool plain_day = period == Period::day && zone.offset_at(secs(day_later)) == zone.offset_at(secs(t)) &&
                           zone.utc_to_local(secs(t)) % 86'400 == 0;
    const auto next = plain_day ? day_later : period_next(period, t, zone);
    // Every period is at least 23 h or 1 h long; a walk that stands still is a broken zone.
    if (next <= t) throw std::out_of_range("calendar walk does not advance at " + std::to_string(t));
    if (edges.size() >= kMaxPeriodEdges)
      throw std::out_of_range("more than " + std::to_string(kMaxPeriodEdges) + " periods asked for");
    t = next;
    edges.push_back(t);
  }
  return edges;
}

}  // namespace meterd::dashboard
