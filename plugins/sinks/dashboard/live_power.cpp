#include "live_power.hpp"

#include "meter_directions.hpp"
#include "series_kind.hpp"

namespace meterd::dashboard {

std::optional<double> live_power(const HistoryStore& store, const nlohmann::json& latest, const std::string& meter,
                                 Direction d, std::int64_t now_ms, std::int64_t offline_after_ms) {
  const auto key = power_quantity(d);
  if (!latest.contains(key)) {
    const auto other = power_quantity(d == Direction::import_energy ? Direction::export_energy : Direction::import_energy);
    if (latest.contains(other) && !measures(store, meter, d) &&
        now_ms - latest[other]["time_ms"].get<std::int64_t>() <= offline_after_ms)
      return 0.0;
    return std::nullopt;
  }
  const auto& v = latest[key];
  if (now_ms - v["time_ms"].get<std::int64_t>() > offline_after_ms) return std::nullopt;
  return v["value"].get<double>() * unit_factor(v["unit"].get<std::string>());
}

}  // namespace meterd::dashboard
