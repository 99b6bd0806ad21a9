#include "series_kind.hpp"

namespace meterd::dashboard {

SeriesKind classify_series(std::string_view quantity, std::string_view unit) {
  if (unit == "Wh" || unit == "kWh" || unit == "MWh" || unit == "varh" || unit == "kvarh") return SeriesKind::register_total;
  if (unit == "W" || unit == "kW" || unit == "MW") return SeriesKind::power;
  if (unit.empty() && quantity.find("energy") != std::string_view::npos) return SeriesKind::register_total;
  return SeriesKind::measurement;
}

double unit_factor(std::string_view unit) {
  if (unit == "kWh" || unit == "kW" || unit == "kvarh") return 1000.0;
  if (unit == "MWh" || unit == "MW") return 1e6;
  return 1.0;
}

}  // namespace meterd::dashboard
