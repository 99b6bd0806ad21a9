#pragma once
// How readings are laid out in InfluxDB (documented in README.md#schema):
//   one measurement per kind of quantity: power, energy, voltage, current, power_factor, ...
//   tags:   meter, obis, quantity, phase (L1/L2/L3, absent for totals), source, tariff
//   fields: value (float, normalised unit: W, kWh, V, A, ...)
//           interval readings also: interval_start_ms, interval_end_ms (integers)
//   time:   the value's own time, else the meter's clock, else the receive time
// Text values (ids, firmware) go to measurement "meter_info" with a string field "text".
#include <vector>

#include "line_protocol.hpp"
#include "meterd/v1/bus.pb.h"

namespace meterd::influx {

std::vector<Point> points_for_reading(const v1::Reading& reading);

}  // namespace meterd::influx
