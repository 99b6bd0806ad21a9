#include "meter_directions.hpp"

namespace meterd::dashboard {

bool measures(const HistoryStore& store, const std::string& meter, Direction d) {
  return store.find(meter, energy_quantity(d)) || store.find(meter, power_quantity(d)) ||
         store.find(meter, energy_quantity(d) + "#interval");
}

Direction production_direction(const HistoryStore& store, const std::string& meter) {
  return measures(store, meter, Direction::export_energy) ? Direction::export_energy : Direction::import_energy;
}

}  // namespace meterd::dashboard
