#pragma once
// The wall-clock part of a meter time, shared by the decoders whose frames carry local time
// (DLMS without deviation, DSMR). Each then resolves the UTC offset its own way: from the
// frame, or from the configured zone (TimeZone::local_to_utc) with its rules for the
// spring-forward gap and the repeated autumn hour.
#include "meterd/decoded_message.hpp"
#include "meterd/time_zone.hpp"

namespace meterd {

// Wall clock `wall`; milliseconds 0, offset and DST flag unknown.
inline MeterTime meter_time_from_wall_clock(const CivilTime& wall) {
  MeterTime t;
  t.year = wall.year;
  t.month = wall.month;
  t.day = wall.day;
  t.hour = wall.hour;
  t.minute = wall.minute;
  t.second = wall.second;
  return t;
}

}  // namespace meterd
