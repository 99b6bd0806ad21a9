#pragma once
// Time-of-use prices: a Swiss-style high-tariff (HT) schedule given as text, e.g.
// "Mon-Fri 07-20, Sat 07-13" (local wall-clock hours, end exclusive), with an HT and an NT
// price; or one single price when no schedule is configured (prices: price_schedule.hpp).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace meterd {
class TimeZone;
}

namespace meterd::dashboard {

class TariffSchedule {
 public:
  // Throws std::invalid_argument with the offending part when the text does not parse.
  static TariffSchedule parse(std::string_view text);
  bool empty() const { return high_hours_ == 0; }
  // "HT" when the local hour starting at `utc_ms` lies in the schedule, else "NT".
  bool is_high(std::int64_t utc_ms, const TimeZone& zone) const;
  // Whether the local weekday (Mon = 0) and hour are HT.
  bool has(int weekday, int hour) const { return high_[static_cast<std::size_t>(weekday)][static_cast<std::size_t>(hour)]; }
  // How many of the week's 168 hours are HT.
  int high_hours_per_week() const { return high_hours_; }
  // The schedule as configured, for showing it back; empty when no hour is HT.
  const std::string& text() const { return text_; }

 private:
  std::array<std::array<bool, 24>, 7> high_{};  // [weekday Mon=0][hour]
  std::string text_;
  int high_hours_ = 0;  // counted once: prices ask for every period whether there is a schedule
};

}  // namespace meterd::dashboard
