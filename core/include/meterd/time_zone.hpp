#pragma once
// The one time-zone helper of meterd. GCC 12's <chrono> has no tz database, so this reads
// the system's TZif files (/usr/share/zoneinfo) directly. Times are Unix seconds.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace meterd {

struct CivilTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

// Seconds since 1970-01-01T00:00:00 of a wall-clock reading, as if it were UTC.
std::int64_t civil_to_seconds(const CivilTime& c);
CivilTime seconds_to_civil(std::int64_t s);
// Day count since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t days_from_civil(int year, int month, int day);

class TimeZone {
 public:
  // Loads "Europe/Zurich", "UTC", ... Throws std::invalid_argument with a message that says
  // what to do (e.g. install tzdata) when the zone is unknown or its file is unreadable.
  static std::shared_ptr<const TimeZone> load(std::string_view name);
  static std::shared_ptr<const TimeZone> utc();

  const std::string& name() const { return name_; }
  // Offset east of UTC, in seconds, in force at `utc_seconds`.
  int offset_at(std::int64_t utc_seconds) const;
  bool is_dst_at(std::int64_t utc_seconds) const;
  // UTC instants showing wall-clock `local_seconds` (see civil_to_seconds): none in the
  // spring-forward gap, two in the repeated autumn hour (earlier first), else one.
  std::vector<std::int64_t> local_to_utc(std::int64_t local_seconds) const;
  std::int64_t utc_to_local(std::int64_t utc_seconds) const { return utc_seconds + offset_at(utc_seconds); }
  // UTC instant of local midnight starting the day that contains `utc_seconds`, and of the next.
  std::int64_t start_of_local_day(std::int64_t utc_seconds) const;

  struct Transition {
    std::int64_t at;  // UTC seconds
    int offset;       // offset from `at` on
    bool dst;
  };
  TimeZone(std::string name, std::vector<Transition> transitions, int initial_offset,
           std::string posix_rule);

 private:
  const Transition* find(std::int64_t utc_seconds) const;
  std::string name_;
  std::vector<Transition> transitions_;  // explicit table, extended from the POSIX rule
  int initial_offset_;
  std::string posix_rule_;
};

// "2021-03-01T10:00:05+01:00" (or "Z" for offset 0 when `z_for_utc`).
std::string format_iso8601(std::int64_t utc_seconds, int offset_seconds, bool z_for_utc = false);
// Wall-clock only, "2021-03-01T10:00:05".
std::string format_iso8601_local(const CivilTime& c);

}  // namespace meterd
