#pragma once
// What the alerts sink remembers per rule and subject (a meter, a meter's phase, a plugin
// instance): the episode (pending, firing, resolving, what was announced) and what the
// condition needs across readings (period baselines, night minima, the month's peak). All of
// it is saved, so a restart neither fires an episode again nor forgets a baseline.
#include <cmath>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace meterd::alerts {

struct Track {
  // Episode.
  bool firing = false;
  std::int64_t pending_since = -1;   // condition holds since (not yet for `for`)
  std::int64_t clearing_since = -1;  // condition clear since (not yet for `clear_for`)
  std::int64_t fired_at = -1, resolved_at = -1, last_notice = -1;
  std::uint64_t episode = 0;
  bool announced = false;     // the owner was told of the current (or last) episode
  bool resolve_owed = false;  // resolved while notices had to wait (quiet hours)
  double value = NAN;         // last value judged, in the condition's unit
  std::string detail;         // what the value is ("meter 123 phase L2")

  // Silence.
  std::int64_t last_seen = -1;
  // Energy of a period and peak demand: from the import register.
  std::int64_t period_start = -1;
  double baseline = NAN, last_register = NAN;
  std::int64_t last_register_at = -1;
  std::int64_t quarter = -1;  // 15-minute slot number of quarter_register
  double quarter_register = NAN;
  std::int64_t quarter_register_at = -1;
  std::int64_t month_start = -1;
  double month_peak = 0;
  // Base load: 5-minute means within the night window, their minimum, and past nights.
  std::int64_t night_day = -1;  // local day number the current night window started on
  std::int64_t bucket = -1;
  double bucket_sum = 0;
  int bucket_count = 0;
  double night_min = NAN;
  std::vector<std::pair<std::int64_t, double>> nights;  // (local day number, minimum W)
  // Counters of an instance (decoder errors, queue depth).
  double last_counter = NAN;
  std::deque<std::pair<std::int64_t, double>> counter_samples;

  bool dirty = true;
};

std::string to_json(const Track& t);
Track track_from_json(const std::string& text);  // throws on malformed text

}  // namespace meterd::alerts
