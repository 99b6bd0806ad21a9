#pragma once
// Which Prometheus metric a bus Value becomes. The classification comes from
// meterd::sink_values, the same one the InfluxDB and MQTT sinks use, so a value called "power"
// there is meterd_power_watts here, in the same unit.
#include <optional>
#include <string>
#include <string_view>

#include "exposition.hpp"
#include "meterd/v1/bus.pb.h"

namespace meterd::prometheus {

struct ValueMetric {
  std::string_view name;  // e.g. "meterd_power_watts", "meterd_energy_active_kwh_total"
  MetricType type;
  std::string_view help;
  std::string quantity;  // the value key shared with MQTT/InfluxDB ("active_power_import", ...)
  std::string phase;     // "L1".."L3" or empty
  std::string unit;      // only for meterd_value, whose unit is not part of its name
  double value = 0;      // in the unit the name says
};

// Latest values only: text values and interval readings from history imports
// (interval_end_ms != 0) give std::nullopt, because a sum over an interval in the past is
// not the present state of the meter. Energy prices give std::nullopt too: their newest value
// lies in the future, and PriceTable shows the one valid now.
std::optional<ValueMetric> value_metric(const v1::Value& value);

}  // namespace meterd::prometheus
