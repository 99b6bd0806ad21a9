#include "meterd/sink/energy_price.hpp"

namespace meterd::sink {
namespace {
// Per kWh from per `energy_unit`; 0 for a unit that is no energy.
double per_kwh_factor(std::string_view energy_unit) {
  if (energy_unit == "kWh") return 1;
  if (energy_unit == "MWh") return 0.001;
  if (energy_unit == "Wh") return 1000;
  return 0;
}
}  // namespace

bool is_energy_price_unit(std::string_view unit) {
  const auto slash = unit.find('/');
  return slash != std::string_view::npos && slash > 0 && per_kwh_factor(unit.substr(slash + 1)) != 0;
}

bool is_energy_price(std::string_view quantity, std::string_view unit) {
  return quantity == "price" || is_energy_price_unit(unit);
}

std::optional<EnergyPrice> energy_price(std::string_view quantity, std::string_view unit, double number) {
  if (!is_energy_price(quantity, unit)) return std::nullopt;
  if (!is_energy_price_unit(unit)) return EnergyPrice{number, std::string(unit)};  // "price" in a unit of its own
  const auto slash = unit.find('/');
  return EnergyPrice{number * per_kwh_factor(unit.substr(slash + 1)), std::string(unit.substr(0, slash))};
}

}  // namespace meterd::sink
