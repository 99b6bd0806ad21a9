#include "dsmr_local_time.hpp"

#include "meterd/wall_clock_time.hpp"

namespace meterd::dsmr {

MeterTime make_local_meter_time(const CivilTime& wall, std::optional<bool> dst, const TimeZone& zone) {
  MeterTime t = meter_time_from_wall_clock(wall);
  t.dst = dst;
  const auto candidates = zone.local_to_utc(civil_to_seconds(wall));
  if (candidates.empty()) return t;  // spring-forward gap: the meter clock is off, say nothing
  std::int64_t chosen = candidates.front();
  if (candidates.size() > 1 && dst) {
    for (std::int64_t c : candidates)
      if (zone.is_dst_at(c) == *dst) chosen = c;
  } else if (candidates.size() > 1) {
    return t;  // repeated hour without a flag: either offset could be right
  }
  t.utc_offset_minutes = zone.offset_at(chosen) / 60;
  return t;
}

}  // namespace meterd::dsmr
