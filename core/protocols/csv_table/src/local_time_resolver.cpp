#include "meterd/csv_table/local_time_resolver.hpp"

#include <algorithm>

#include "meterd/time_zone.hpp"

namespace meterd::csv_table {
namespace {

std::int64_t floor_day(std::int64_t seconds) {
  std::int64_t d = seconds / 86400;
  if (seconds % 86400 < 0) --d;
  return d;
}

}  // namespace

LocalTimeResolver::LocalTimeResolver(std::shared_ptr<const TimeZone> zone) : zone_(std::move(zone)) {}

void LocalTimeResolver::load_day(std::int64_t day) {
  cache_.day = day;
  cache_.uniform = false;
  repeated_seen_.clear();
  const std::int64_t first = day * 86400;
  const std::int64_t last = first + 86399;
  const auto a = zone_->local_to_utc(first);
  const auto b = zone_->local_to_utc(last);
  if (a.size() == 1 && b.size() == 1 && first - a[0] == last - b[0]) {
    cache_.uniform = true;
    cache_.offset = static_cast<int>(first - a[0]);
  }
}

LocalTimeResolver::Result LocalTimeResolver::resolve(std::int64_t local_seconds, std::int64_t& utc_seconds) {
  const std::int64_t day = floor_day(local_seconds);
  if (day != cache_.day) load_day(day);
  if (cache_.uniform) {
    utc_seconds = local_seconds - cache_.offset;
    return Result::unique;
  }
  const auto candidates = zone_->local_to_utc(local_seconds);
  if (candidates.empty()) return Result::nonexistent;
  if (candidates.size() == 1) {
    utc_seconds = candidates.front();
    return Result::unique;
  }
  auto it = std::find_if(repeated_seen_.begin(), repeated_seen_.end(),
                         [&](const auto& seen) { return seen.first == local_seconds; });
  if (it == repeated_seen_.end()) {
    repeated_seen_.emplace_back(local_seconds, 1);
    utc_seconds = candidates.front();
    return Result::repeated_first;
  }
  ++it->second;
  utc_seconds = candidates.back();
  return it->second == 2 ? Result::repeated_second : Result::repeated_again;
}

std::int64_t LocalTimeResolver::day_start_utc(std::int64_t local_seconds) const {
  const std::int64_t midnight = floor_day(local_seconds) * 86400;
  // Where midnight itself falls in a gap (some zones switch at 00:00) the day starts at the
  // first wall-clock time that exists, found by stepping forward through the gap.
  for (std::int64_t probe = midnight; probe < midnight + 86400; probe += 900) {
    const auto c = zone_->local_to_utc(probe);
    if (!c.empty()) return c.front();
  }
  return midnight - zone_->offset_at(midnight);
}

}  // namespace meterd::csv_table
