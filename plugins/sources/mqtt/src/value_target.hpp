#pragma once
// Where one incoming number goes: an OBIS code or catalogue quantity with the unit the sender
// uses and the unit meterd stores, e.g. "1-0:1.8.0 Wh->kWh". The quantity name and the kind of
// unit come from the one OBIS table of the core (meterd/obis_quantity.hpp), so a value taken in
// over MQTT is accounted like the same register read from the meter itself.
#include <optional>
#include <string>
#include <string_view>

namespace meterd::mqtt_source {

struct ValueTarget {
  std::string obis;      // "1-0:1.8.0"; empty for a quantity the OBIS table does not know
  std::string quantity;  // "active_energy_import"
  std::string unit_in;   // unit of the number as sent
  std::string unit_out;  // unit stored
  double factor = 1.0;   // number_out = number_in * factor
};

// Parses "<OBIS or quantity> <unit>[-><unit>]" (the unit may be left out for dimensionless
// values). Throws std::invalid_argument saying what to write when the target is unknown or a
// unit does not fit what the OBIS code measures (W for 1-0:1.8.0, an energy register).
ValueTarget parse_value_target(std::string_view text);

// The OBIS code and catalogue unit of a catalogue quantity ("active_power_import" ->
// "1-0:1.7.0", "W"), found in the core's OBIS table.
struct CatalogueEntry {
  std::string obis;
  std::string unit;
};
std::optional<CatalogueEntry> catalogue_entry(std::string_view quantity);

// Physical dimension and scale of a unit: "kWh" -> {"Wh", 1000}. Empty base for units meterd
// does not know.
struct UnitScale {
  std::string base;
  double factor = 1.0;
};
UnitScale unit_scale(std::string_view unit);

}  // namespace meterd::mqtt_source
