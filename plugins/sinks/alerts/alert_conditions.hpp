#pragma once
// How each kind of condition turns what arrives into observations: a subject (meter, phase,
// plugin instance), a value, and whether it is past the threshold (fire) or back past the
// hysteresis band (clear). Periods, nights and months are local days in the configured zone,
// so a 23- or 25-hour day at a DST change is one day.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "alert_rule.hpp"
#include "alert_track.hpp"
#include "meterd/time_zone.hpp"
#include "meterd/v1/bus.pb.h"

namespace meterd::alerts {

struct Observation {
  std::string subject, detail;
  std::int64_t time_ms;
  double value;
  bool fire, clear;  // neither: inside the hysteresis band, the state stays
};

using Tracks = std::map<std::string, Track>;

// The time a reading speaks of: the meter's clock when it sent one, else its receipt.
std::int64_t reading_time_ms(const v1::Reading& reading);

std::vector<Observation> observe_reading(const Rule& rule, Tracks& tracks, const v1::Reading& reading,
                                         const TimeZone& zone);
std::vector<Observation> observe_counters(const Rule& rule, Tracks& tracks, const v1::Diagnostic& diagnostic);
std::vector<Observation> observe_clock(const Rule& rule, Tracks& tracks, std::int64_t now_ms);

// UTC ms of the start of the local day, week (Monday) or month containing `utc_ms`, and of the next.
std::int64_t period_start_ms(const TimeZone& zone, Period period, std::int64_t utc_ms);
std::int64_t period_end_ms(const TimeZone& zone, Period period, std::int64_t utc_ms);

// "8.4 kW", "253.1 V", "12.5 kWh", "42 per hour": the value in the condition's unit.
std::string value_text(const Condition& condition, double value);

}  // namespace meterd::alerts
