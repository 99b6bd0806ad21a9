#include "sml_time.hpp"

namespace meterd::sml {
namespace {

MeterTime from_local_seconds(std::int64_t local, int offset_seconds) {
  const CivilTime c = seconds_to_civil(local);
  MeterTime t;
  t.year = c.year, t.month = c.month, t.day = c.day;
  t.hour = c.hour, t.minute = c.minute, t.second = c.second;
  t.utc_offset_minutes = offset_seconds / 60;
  return t;
}

}  // namespace

std::optional<MeterTime> sml_clock_time(const SmlNode& time, const TimeZone& zone) {
  if (!time.is_list(2) || time.children[0].type != SmlNode::Type::unsigned_int) return std::nullopt;
  const std::uint64_t kind = time.children[0].unsigned_int;
  const SmlNode& value = time.children[1];
  if (kind == 2 && value.type == SmlNode::Type::unsigned_int) {
    const auto utc = static_cast<std::int64_t>(value.unsigned_int);
    const int offset = zone.offset_at(utc);
    MeterTime t = from_local_seconds(utc + offset, offset);
    t.dst = zone.is_dst_at(utc);
    return t;
  }
  if (kind == 3 && value.is_list(3) && value.children[0].type == SmlNode::Type::unsigned_int &&
      value.children[1].is_number() && value.children[2].is_number()) {
    // Local offset and season offset in minutes, stated by the meter.
    const auto utc = static_cast<std::int64_t>(value.children[0].unsigned_int);
    const std::int64_t local_min = value.children[1].integer, season_min = value.children[2].integer;
    if (local_min < -1440 || local_min > 1440 || season_min < -180 || season_min > 180) return std::nullopt;
    const int offset = static_cast<int>((local_min + season_min) * 60);
    MeterTime t = from_local_seconds(utc + offset, offset);
    t.offset_stated_by_meter = true;
    t.dst = season_min != 0;
    return t;
  }
  return std::nullopt;
}

}  // namespace meterd::sml
