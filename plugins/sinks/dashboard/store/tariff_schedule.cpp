#include "tariff_schedule.hpp"

#include <stdexcept>
#include <string>

#include "meterd/time_zone.hpp"

namespace meterd::dashboard {

namespace {
constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

int day_index(std::string_view name) {
  for (int i = 0; i < 7; ++i)
    if (name == kDays[i]) return i;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

int hour_of(std::string_view s) {
  if (s.size() == 5 && s.substr(2) == ":00") s = s.substr(0, 2);
  if (s.empty() || s.size() > 2) return -1;
  int h = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    h = h * 10 + (c - '0');
  }
  return h <= 24 ? h : -1;
}
}  // namespace

TariffSchedule TariffSchedule::parse(std::string_view text) {
  TariffSchedule schedule;
  text = trim(text);
  schedule.text_ = text;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto part = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : trim(text.substr(comma + 1));
    const auto space = part.find(' ');
    const auto days = part.substr(0, space);
    const auto hours = space == std::string_view::npos ? std::string_view{} : trim(part.substr(space + 1));
    const auto dash = days.find('-');
    const int d0 = day_index(days.substr(0, dash));
    const int d1 = dash == std::string_view::npos ? d0 : day_index(days.substr(dash + 1));
    const auto hdash = hours.find('-');
    const int h0 = hdash == std::string_view::npos ? -1 : hour_of(hours.substr(0, hdash));
    const int h1 = hdash == std::string_view::npos ? -1 : hour_of(hours.substr(hdash + 1));
    if (d0 < 0 || d1 < 0 || d1 < d0 || h0 < 0 || h1 <= h0)
      throw std::invalid_argument("tariff schedule part '" + std::string(part) +
                                  "' is not like 'Mon-Fri 07-20' (days Mon..Sun, hours 00-24, end after start)");
    for (int d = d0; d <= d1; ++d)
      for (int h = h0; h < h1; ++h) schedule.high_[static_cast<std::size_t>(d)][static_cast<std::size_t>(h)] = true;
  }
  for (const auto& day : schedule.high_)
    for (bool h : day) schedule.high_hours_ += h ? 1 : 0;
  return schedule;
}

bool TariffSchedule::is_high(std::int64_t utc_ms, const TimeZone& zone) const {
  const auto local = zone.utc_to_local(utc_ms >= 0 ? utc_ms / 1000 : (utc_ms - 999) / 1000);
  const auto c = seconds_to_civil(local);
  const auto days = days_from_civil(c.year, c.month, c.day);
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  const auto weekday = static_cast<std::size_t>(((days % 7) + 7 + 3) % 7);
  return high_[weekday][static_cast<std::size_t>(c.hour)];
}

}  // namespace meterd::dashboard
