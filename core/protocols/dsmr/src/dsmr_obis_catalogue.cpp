#include "dsmr_obis_catalogue.hpp"

namespace meterd::dsmr {

bool is_identifier_object(const ObisCode& o) {
  if (o.c == 96) return o.d != 7;  // 96.7.x are failure counters, the rest ids/status/messages
  if (o.c == 0 && (o.d == 0 || o.d == 2)) return true;  // device address, P1 version
  return o.a == 0 && o.c == 42;                         // logical device name (1-0:42.7.0 is power)
}

bool is_hex_id_object(const ObisCode& o) {
  return (o.a == 0 && o.c == 96 && o.d == 1 && (o.e == 0 || o.e == 1)) || (o.a == 0 && o.c == 42);
}

bool is_text_message_object(const ObisCode& o) { return o.a == 0 && o.c == 96 && o.d == 13 && o.e == 0; }

std::optional<int> meter_id_rank(const ObisCode& o) {
  if (o.a == 0 && o.b == 0 && o.c == 96 && o.d == 1) {
    if (o.e == 1) return 0;
    if (o.e == 0) return 1;
    if (o.e == 255) return 2;
  }
  if (o.a == 1 && o.c == 0 && o.d == 0 && o.e == 0) return 3;
  return std::nullopt;
}

std::string mbus_reading_quantity(int device_type) {
  switch (device_type) {
    case 3: return "gas_volume";
    case 4: case 12: return "heat_energy";
    case 6: return "warm_water_volume";
    case 7: return "water_volume";
    case 10: case 11: return "cooling_energy";
    default: return "mbus_reading";
  }
}

}  // namespace meterd::dsmr
