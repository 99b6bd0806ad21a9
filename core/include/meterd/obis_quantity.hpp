#pragma once
// The one table of what an OBIS code measures, shared by the DLMS, DSMR P1 and SML decoders so
// that the same register gets the same quantity name and unit whichever protocol carried it.
// Electricity (A = 1) matches on C.D.E and ignores B, because operators send the same
// quantity as 1-0:x and 1-1:x; abstract objects (A = 0) use B to tell the meter (0) from
// M-Bus channels (1..4).
#include <optional>
#include <string>
#include <string_view>

namespace meterd {

enum class ObisKind { power, energy, voltage, current, power_factor, frequency, identifier, clock, push_setup, other };

struct ObisQuantity {
  std::string_view quantity;  // e.g. "active_power_import", "active_energy_import_t1"
  std::string_view unit;      // physical unit implied by the code, empty when none
  ObisKind kind = ObisKind::other;
};

// Empty for codes the table does not know; such values are still reported under their OBIS.
// `a` and `b` may be -1 for the short forms P1 meters write ("1.8.1"): electricity, channel 0.
std::optional<ObisQuantity> lookup_obis_quantity(int a, int b, int c, int d, int e);

// The quantity name alone, empty when unknown.
std::string obis_quantity_name(int a, int b, int c, int d, int e);

}  // namespace meterd
