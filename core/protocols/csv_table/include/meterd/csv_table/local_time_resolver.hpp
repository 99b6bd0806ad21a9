#pragma once
// Turns wall-clock times of one file into UTC. Wall clocks are ambiguous twice a year: in
// spring an hour does not exist (such a time is refused), in autumn an hour happens twice.
// A file lists the repeated hour twice - either the whole hour and then again, or each
// quarter twice in a row - so the first time a repeated wall clock is seen it is the earlier
// (summer) instant and the second time the later one. That rule needs one resolver per file,
// fed in file order.
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace meterd {
class TimeZone;
}

namespace meterd::csv_table {

class LocalTimeResolver {
 public:
  explicit LocalTimeResolver(std::shared_ptr<const TimeZone> zone);

  enum class Result { unique, repeated_first, repeated_second, repeated_again, nonexistent };
  // UTC seconds for `local_seconds` (civil_to_seconds of the wall clock). `nonexistent` for a
  // time in the spring gap; `repeated_again` for a third sighting, resolved to the later
  // instant (a duplicate row) so that the caller can flag it.
  Result resolve(std::int64_t local_seconds, std::int64_t& utc_seconds);

  // The UTC instant of the local midnight that starts the wall-clock day `local_seconds` is
  // in (the first instant of the day, whatever its DST state).
  std::int64_t day_start_utc(std::int64_t local_seconds) const;

  const TimeZone& zone() const { return *zone_; }

 private:
  // Offsets are cached per local day, so the zone's transition table is consulted twice a
  // day rather than for every row (1-second data has 86,400 rows a day).
  struct DayCache {
    std::int64_t day = INT64_MIN;
    bool uniform = false;  // one offset the whole day
    int offset = 0;
  };
  void load_day(std::int64_t day);

  std::shared_ptr<const TimeZone> zone_;
  DayCache cache_;
  std::vector<std::pair<std::int64_t, int>> repeated_seen_;  // wall clock, sightings; one day only
};

}  // namespace meterd::csv_table
