#pragma once
// Public holidays that a tariff treats like a Sunday (or another configured weekday): dates
// listed in the config and, as an option, the public holidays of a Swiss canton, the movable
// ones computed from Easter.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace meterd {
class TimeZone;
}

namespace meterd::dashboard {

// "2026-12-24" as days since 1970-01-01; -1 when it is no calendar date.
std::int64_t parse_local_date(std::string_view text);

// Gregorian Easter Sunday of `year` as days since 1970-01-01.
std::int64_t easter_sunday(int year);

class Holidays {
 public:
  // `dates`: "2026-12-24, 2026-12-31" (local dates); `canton`: "" or a two-letter code such as
  // "ZH"; `as_weekday`: "Sun" (default) or another day whose hours a holiday takes. Throws
  // std::invalid_argument naming the option and the offending part.
  static Holidays parse(std::string_view dates, std::string_view canton, std::string_view as_weekday);
  bool empty() const { return days_.empty() && canton_ < 0; }
  // Whether the local day (days since 1970-01-01) is a holiday.
  bool contains(std::int64_t local_day) const;
  // The weekday (Mon = 0) whose schedule applies to the local day: its own, or the configured
  // one on a holiday.
  int weekday_of(std::int64_t local_day) const;
  const std::string& canton() const { return canton_name_; }
  // The names of the holidays of `year` (for the settings view and the docs' examples).
  std::vector<std::pair<std::int64_t, std::string>> of_year(int year) const;

 private:
  std::vector<std::int64_t> days_;  // sorted
  int canton_ = -1;
  std::string canton_name_;
  int as_weekday_ = 6;
};

// The local weekday (Mon = 0) and hour of the instant, a holiday counting as its configured weekday.
struct LocalSlot {
  int weekday = 0, hour = 0;
};
LocalSlot local_slot(std::int64_t utc_ms, const TimeZone& zone, const Holidays& holidays);

}  // namespace meterd::dashboard
