#include "value_metric.hpp"

#include "meterd/sink/energy_price.hpp"
#include "meterd/sink/value_key.hpp"
#include "meterd/sink/value_kind.hpp"

namespace meterd::prometheus {
namespace {

using sink::ValueKind;

struct Naming {
  std::string_view name;
  MetricType type;
  std::string_view help;
};

// Instantaneous quantities are gauges in the base units Prometheus prefers (watts, volts,
// amperes, hertz). Energy stays in kWh (kvarh, kVAh) because that is what InfluxDB and MQTT
// carry and what tariffs are priced in; converting to joules would only add factors to every
// dashboard query.
Naming naming(const sink::ValueClass& cls) {
  switch (cls.kind) {
    case ValueKind::active_power:
      return {"meterd_power_watts", MetricType::gauge, "Active power in W; import and export differ by the obis and quantity labels"};
    case ValueKind::reactive_power:
      return {"meterd_power_reactive_var", MetricType::gauge, "Reactive power in var"};
    case ValueKind::apparent_power:
      return {"meterd_power_apparent_voltamperes", MetricType::gauge, "Apparent power in VA"};
    case ValueKind::voltage:
      return {"meterd_voltage_volts", MetricType::gauge, "Voltage in V"};
    case ValueKind::current:
      return {"meterd_current_amperes", MetricType::gauge, "Current in A"};
    case ValueKind::power_factor:
      return {"meterd_power_factor", MetricType::gauge, "Power factor (0 to 1)"};
    case ValueKind::frequency:
      return {"meterd_frequency_hertz", MetricType::gauge, "Grid frequency in Hz"};
    // A register that may go down (net import minus export) breaks counter semantics, where
    // every decrease is read as a reset, so it is a gauge without the _total suffix.
    case ValueKind::active_energy:
      if (cls.may_decrease) return {"meterd_energy_active_net_kwh", MetricType::gauge, "Net active energy register in kWh (can decrease)"};
      return {"meterd_energy_active_kwh_total", MetricType::counter, "Active energy register of the meter in kWh"};
    case ValueKind::reactive_energy:
      if (cls.may_decrease) return {"meterd_energy_reactive_net_kvarh", MetricType::gauge, "Net reactive energy register in kvarh (can decrease)"};
      return {"meterd_energy_reactive_kvarh_total", MetricType::counter, "Reactive energy register of the meter in kvarh"};
    case ValueKind::apparent_energy:
      if (cls.may_decrease) return {"meterd_energy_apparent_net_kvah", MetricType::gauge, "Net apparent energy register in kVAh (can decrease)"};
      return {"meterd_energy_apparent_kvah_total", MetricType::counter, "Apparent energy register of the meter in kVAh"};
    case ValueKind::gas_volume:
      return {"meterd_gas_volume_cubic_meters_total", MetricType::counter, "Gas meter register in m3"};
    case ValueKind::water_volume:
      return {"meterd_water_volume_cubic_meters_total", MetricType::counter, "Water meter register in m3"};
    case ValueKind::other:
      break;
  }
  return {"meterd_value", MetricType::gauge, "Other numeric meter values, in the unit of the unit label"};
}

}  // namespace

std::optional<ValueMetric> value_metric(const v1::Value& value) {
  if (!value.has_number() || value.interval_end_ms() != 0) return std::nullopt;
  // A price's latest value is usually tomorrow's: the price table shows the one valid now.
  if (sink::is_energy_price(value.quantity(), value.unit())) return std::nullopt;
  const sink::ValueClass cls = sink::classify_value(value.obis(), value.quantity(), value.unit());
  const sink::ScaledValue scaled = sink::normalize_unit(cls.kind, value.number(), value.unit());
  const Naming named = naming(cls);
  ValueMetric metric{named.name, named.type, named.help,
                     sink::value_key(value.quantity(), value.obis(), value.tariff()), cls.phase, {}, scaled.value};
  if (cls.kind == ValueKind::other) metric.unit = scaled.unit;
  return metric;
}

}  // namespace meterd::prometheus
