#pragma once
// What a bus Value measures, derived from its OBIS code (C and D groups, the reliable part)
// and, where there is no OBIS code, from its unit and catalogue name. Sinks need this to pick
// Home Assistant classes, Prometheus metric types and InfluxDB measurements consistently.
#include <optional>
#include <string>
#include <string_view>

namespace meterd::sink {

enum class ValueKind {
  active_power,
  reactive_power,
  apparent_power,
  active_energy,
  reactive_energy,
  apparent_energy,
  voltage,
  current,
  power_factor,
  frequency,
  gas_volume,
  water_volume,
  other,
};

struct ValueClass {
  ValueKind kind = ValueKind::other;
  std::string phase;           // "L1", "L2", "L3", or empty for totals
  bool is_register = false;    // a cumulative meter register (energy, volume)
  bool may_decrease = false;   // a register that can go down (net energy, |A+|-|A-|)
};

struct ObisCode {
  int a = 0, b = 0, c = 0, d = 0, e = 0;
};
// Parses "A-B:C.D.E" (also with a trailing ".F" or "*F"); std::nullopt otherwise.
std::optional<ObisCode> parse_obis(std::string_view text);

ValueClass classify_value(std::string_view obis, std::string_view quantity, std::string_view unit);

// Short lower-case names: "power", "reactive_power", "energy", "voltage", "power_factor", ...
const char* kind_name(ValueKind kind);

// Output units are fixed per kind so that dashboards need no per-meter scaling: power in W,
// energy in kWh, reactive energy in kvarh, apparent energy in kVAh. Other units pass through.
struct ScaledValue {
  double value = 0;
  std::string unit;
};
ScaledValue normalize_unit(ValueKind kind, double value, std::string_view unit);

}  // namespace meterd::sink
