#include "meterd/obis_quantity.hpp"

#include <array>
#include <string>

namespace meterd {
namespace {

// What register C measures in electricity (IEC 62056-61), for C = 1..16; the per-phase
// blocks repeat it every 20 values (L1 = 21..40, L2 = 41..60, L3 = 61..80).
struct Measure {
  const char* subject;  // "active_%_import": % becomes power or energy
  const char* power_unit;
  const char* energy_unit;
};

constexpr std::array<Measure, 17> kMeasures{{
    {nullptr, "", ""},
    {"active_%_import", "W", "Wh"},
    {"active_%_export", "W", "Wh"},
    {"reactive_%_import", "var", "varh"},
    {"reactive_%_export", "var", "varh"},
    {"reactive_%_q1", "var", "varh"},
    {"reactive_%_q2", "var", "varh"},
    {"reactive_%_q3", "var", "varh"},
    {"reactive_%_q4", "var", "varh"},
    {"apparent_%_import", "VA", "VAh"},
    {"apparent_%_export", "VA", "VAh"},
    {nullptr, "", ""},  // 11: current, handled apart
    {nullptr, "", ""},  // 12: voltage
    {nullptr, "", ""},  // 13: power factor
    {nullptr, "", ""},  // 14: frequency
    {"active_%_absolute", "W", "Wh"},
    {"active_%_net", "W", "Wh"},
}};

enum Form { power = 0, energy, average, max_demand, kForms };
constexpr int kPhases = 4;   // total, L1, L2, L3
constexpr int kTariffs = 10; // E = 0 (total) and tariffs 1..9, energy only

// Every name the table can return, built once, so lookups hand out views without allocating
// (the DLMS decoder looks up every value of every push).
struct Names {
  std::array<std::array<std::array<std::string, kForms>, kPhases>, kMeasures.size()> measure;
  std::array<std::array<std::string, kTariffs>, kMeasures.size()> tariff_energy;
  std::array<std::string, kPhases> current, voltage, power_factor, current_limit, sags, swells;

  Names() {
    const char* kinds[kForms] = {"power", "energy", "power", "power"};
    const char* suffixes[kForms] = {"", "", "_average", "_max_demand"};
    for (std::size_t c = 0; c < kMeasures.size(); ++c) {
      if (!kMeasures[c].subject) continue;
      std::string subject = kMeasures[c].subject;
      const auto at = subject.find('%');
      for (int f = 0; f < kForms; ++f) {
        std::string base = subject;
        base.replace(at, 1, kinds[f]);
        base += suffixes[f];
        for (int p = 0; p < kPhases; ++p) measure[c][p][f] = p == 0 ? base : base + "_l" + std::to_string(p);
        if (f == energy)
          for (int t = 0; t < kTariffs; ++t) tariff_energy[c][t] = t == 0 ? base : base + "_t" + std::to_string(t);
      }
    }
    for (int p = 0; p < kPhases; ++p) {
      const std::string suffix = p == 0 ? "" : "_l" + std::to_string(p);
      current[p] = "current" + suffix;
      voltage[p] = "voltage" + suffix;
      power_factor[p] = "power_factor" + suffix;
      current_limit[p] = "current_limit" + suffix;
      sags[p] = "voltage_sags" + suffix;
      swells[p] = "voltage_swells" + suffix;
    }
  }
};

const Names& names() {
  static const Names n;
  return n;
}

std::optional<ObisQuantity> electricity(int c, int d, int e) {
  const Names& n = names();
  if (c == 14 && d == 7) return ObisQuantity{"frequency", "Hz", ObisKind::frequency};
  if (c == 91 && d == 7) return ObisQuantity{"current_neutral", "A", ObisKind::current};
  if (c == 99 && d == 97 && e == 0) return ObisQuantity{"power_failure_duration", "", ObisKind::other};
  if (c == 96 && d == 50 && e == 1) return ObisQuantity{"manufacturer", "", ObisKind::identifier};
  if (c == 96 && d == 1) return ObisQuantity{"equipment_id", "", ObisKind::identifier};
  if (c == 0 && d == 2) {
    if (e == 8) return ObisQuantity{"p1_version", "", ObisKind::identifier};
    return ObisQuantity{"list_version", "", ObisKind::identifier};
  }
  if (c < 1 || c > 80) return std::nullopt;
  const int phase = c <= 20 ? 0 : (c - 1) / 20;
  const int base = c - 20 * phase;
  if (base < 1 || base > 16) return std::nullopt;
  switch (base) {
    case 11:
      if (d == 7) return ObisQuantity{n.current[phase], "A", ObisKind::current};
      if (d == 4 && phase > 0) return ObisQuantity{n.current_limit[phase], "A", ObisKind::current};
      return std::nullopt;
    case 12:
      if (d == 7) return ObisQuantity{n.voltage[phase], "V", ObisKind::voltage};
      if (d == 32 && phase > 0) return ObisQuantity{n.sags[phase], "", ObisKind::other};
      if (d == 36 && phase > 0) return ObisQuantity{n.swells[phase], "", ObisKind::other};
      return std::nullopt;
    case 13:
      if (d == 7) return ObisQuantity{n.power_factor[phase], "", ObisKind::power_factor};
      return std::nullopt;
    case 14:
      return std::nullopt;
    default: break;
  }
  const Measure& m = kMeasures[static_cast<std::size_t>(base)];
  switch (d) {
    case 7: return ObisQuantity{n.measure[base][phase][power], m.power_unit, ObisKind::power};
    case 4: return ObisQuantity{n.measure[base][phase][average], m.power_unit, ObisKind::power};
    case 6: return ObisQuantity{n.measure[base][phase][max_demand], m.power_unit, ObisKind::power};
    case 8:
      if (phase == 0 && e > 0 && e < kTariffs)
        return ObisQuantity{n.tariff_energy[base][e], m.energy_unit, ObisKind::energy};
      return ObisQuantity{n.measure[base][phase][energy], m.energy_unit, ObisKind::energy};
    default: return std::nullopt;
  }
}

std::optional<ObisQuantity> abstract(int b, int c, int d, int e) {
  if (c == 1 && d == 0 && e == 0) return ObisQuantity{"clock", "", ObisKind::clock};
  if (c == 25 && d == 9 && e == 0) return ObisQuantity{"push_setup", "", ObisKind::push_setup};
  if (c == 42 && d == 0 && e == 0) return ObisQuantity{"logical_device_name", "", ObisKind::identifier};
  if (c == 96 && d == 1) {
    // B > 0: the id of an M-Bus device (gas, water) behind the meter, not the meter's own.
    if (b > 0) return ObisQuantity{"mbus_equipment_id", "", ObisKind::identifier};
    return ObisQuantity{e == 0 ? "meter_serial" : "equipment_id", "", ObisKind::identifier};
  }
  if (c == 96 && d == 14 && e == 0) return ObisQuantity{"tariff", "", ObisKind::other};
  if (c == 96 && d == 7 && e == 21) return ObisQuantity{"power_failures", "", ObisKind::other};
  if (c == 96 && d == 7 && e == 9) return ObisQuantity{"long_power_failures", "", ObisKind::other};
  if (c == 96 && d == 13 && e == 0) return ObisQuantity{"text_message", "", ObisKind::other};
  if (c == 96 && d == 13 && e == 1) return ObisQuantity{"numeric_message", "", ObisKind::other};
  if (c == 96 && d == 3 && e == 10) return ObisQuantity{"breaker_state", "", ObisKind::other};
  if (c == 96 && d == 50 && e == 1) return ObisQuantity{"manufacturer", "", ObisKind::identifier};
  if (c == 17 && d == 0 && e == 0) return ObisQuantity{"limiter_threshold", "", ObisKind::other};
  if (c == 0 && d == 2 && e == 8) return ObisQuantity{"p1_version", "", ObisKind::identifier};
  if (c == 24 && d == 1 && e == 0) return ObisQuantity{"mbus_device_type", "", ObisKind::other};
  if (c == 24 && d == 4 && e == 0) return ObisQuantity{"mbus_valve_state", "", ObisKind::other};
  if (c == 24 && (d == 2 || d == 3)) return ObisQuantity{"mbus_reading", "", ObisKind::other};
  if (c == 98 && d == 1 && e == 0) return ObisQuantity{"billing_history", "", ObisKind::other};
  return std::nullopt;
}

}  // namespace

std::optional<ObisQuantity> lookup_obis_quantity(int a, int b, int c, int d, int e) {
  if (a == 1 || a < 0) return electricity(c, d, e);
  if (a == 0) return abstract(b < 0 ? 0 : b, c, d, e);
  return std::nullopt;
}

std::string obis_quantity_name(int a, int b, int c, int d, int e) {
  const auto q = lookup_obis_quantity(a, b, c, d, e);
  return q ? std::string(q->quantity) : std::string();
}

}  // namespace meterd
