#include "meterd/dsmr/obis_quantity.hpp"

#include <array>

namespace meterd::dsmr {
namespace {

// C groups of electricity (A = 1) for the total and per-phase registers (IEC 62056-61).
std::string electricity_base(int c) {
  switch (c) {
    case 1: return "active_%_import";
    case 2: return "active_%_export";
    case 3: return "reactive_%_import";
    case 4: return "reactive_%_export";
    case 5: return "reactive_%_q1";
    case 6: return "reactive_%_q2";
    case 7: return "reactive_%_q3";
    case 8: return "reactive_%_q4";
    case 9: return "apparent_%_import";
    case 10: return "apparent_%_export";
    case 15: return "active_%_absolute";
    case 16: return "active_%_net";
    default: return {};
  }
}

std::string with_kind(std::string base, const char* kind) {
  const auto at = base.find('%');
  if (at != std::string::npos) base.replace(at, 1, kind);
  return base;
}

// Phase quantities repeat every 20 C values: L1 = 21..40, L2 = 41..60, L3 = 61..80.
std::string phase_quantity(int c) {
  const int phase = (c - 1) / 20;  // 1..3
  const int base = c - 20 * phase;
  const std::string suffix = "_l" + std::to_string(phase);
  switch (base) {
    case 11: return "current" + suffix;
    case 12: return "voltage" + suffix;
    case 13: return "power_factor" + suffix;
    case 16: return "active_power_net" + suffix;
    default: {
      const std::string b = electricity_base(base);
      return b.empty() ? b : with_kind(b, "power") + suffix;
    }
  }
}

std::string electricity_quantity(int c, int d, int e) {
  const std::string tariff = e > 0 ? "_tariff" + std::to_string(e) : "";
  if (c == 13 && d == 7) return "power_factor";
  if (c == 14 && d == 7) return "frequency";
  if (c >= 21 && c <= 80 && d == 7 && e == 0) return phase_quantity(c);
  if (c >= 31 && c <= 80 && (c - 31) % 20 == 0 && d == 4) return "current_limit_l" + std::to_string((c - 11) / 20);
  if ((c == 32 || c == 52 || c == 72) && d == 32) return "voltage_sags_l" + std::to_string((c - 12) / 20);
  if ((c == 32 || c == 52 || c == 72) && d == 36) return "voltage_swells_l" + std::to_string((c - 12) / 20);
  const std::string base = electricity_base(c);
  if (base.empty()) return {};
  switch (d) {
    case 8: return with_kind(base, "energy") + tariff;
    case 7: return with_kind(base, "power");
    case 4: return with_kind(base, "power") + "_average";
    case 6: return with_kind(base, "power") + "_max_demand";
    default: return {};
  }
}

std::string abstract_quantity(int b, int c, int d, int e) {
  if (c == 96 && d == 1) return b == 0 ? "equipment_id" : "mbus_equipment_id";
  if (c == 96 && d == 14 && e == 0) return "tariff";
  if (c == 96 && d == 7 && e == 21) return "power_failures";
  if (c == 96 && d == 7 && e == 9) return "long_power_failures";
  if (c == 96 && d == 13 && e == 0) return "text_message";
  if (c == 96 && d == 13 && e == 1) return "numeric_message";
  if (c == 96 && d == 3 && e == 10) return "breaker_state";
  if (c == 17 && d == 0 && e == 0) return "limiter_threshold";
  if (c == 0 && d == 2 && e == 8) return "p1_version";
  if (c == 42 && d == 0 && e == 0) return "logical_device_name";
  if (c == 24 && d == 1 && e == 0) return "mbus_device_type";
  if (c == 24 && d == 4 && e == 0) return "mbus_valve_state";
  if (c == 24 && (d == 2 || d == 3)) return "mbus_reading";
  if (c == 98 && d == 1 && e == 0) return "billing_history";
  if (c == 96 && d == 50 && e == 1) return "manufacturer";
  return {};
}

}  // namespace

std::string obis_quantity(int a, int b, int c, int d, int e) {
  if (a == 1 || a < 0) {
    if (c == 99 && d == 97 && e == 0) return "power_failure_duration";
    if (c == 96 && d == 50 && e == 1) return "manufacturer";
    if (c == 96 && d == 1) return "equipment_id";
    if (c == 0 && d == 2 && e == 8) return "p1_version";
    return electricity_quantity(c, d, e);
  }
  if (a == 0) return abstract_quantity(b < 0 ? 0 : b, c, d, e);
  return {};
}

}  // namespace meterd::dsmr
