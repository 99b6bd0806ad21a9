#pragma once
// Whether a bus Value is a price per energy, and that price per kWh: the price_feed source
// publishes quantity "price" in e.g. "CHF/kWh"; other sources may send "EUR/MWh". Sinks that
// treat prices apart from meter values (the MQTT discovery, the Prometheus current price) agree
// through this one test.
#include <optional>
#include <string>
#include <string_view>

namespace meterd::sink {

// A currency ("CHF", "EUR", "ct") per kWh, MWh or Wh.
bool is_energy_price_unit(std::string_view unit);
// Quantity "price", or a number in a price-per-energy unit.
bool is_energy_price(std::string_view quantity, std::string_view unit);

struct EnergyPrice {
  double per_kwh = 0;
  std::string currency;  // the unit's part before '/', e.g. "EUR"; the whole unit when it has none
};
// The value as a price per kWh, or nothing when it is not an energy price.
std::optional<EnergyPrice> energy_price(std::string_view quantity, std::string_view unit, double number);

}  // namespace meterd::sink
