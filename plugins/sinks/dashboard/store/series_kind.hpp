#pragma once
// How a series is accounted: cumulative registers give energy by differences, power gives
// energy by integration, everything else (voltage, current, power factor) only statistics.
#include <string>
#include <string_view>

namespace meterd::dashboard {

enum class SeriesKind { register_total = 1, power = 2, measurement = 3 };

SeriesKind classify_series(std::string_view quantity, std::string_view unit);
// Factor to Wh for energy units (Wh, kWh, MWh, varh, kvarh) and to W for power units; 1 otherwise.
double unit_factor(std::string_view unit);

// Accounting rules, configurable per installation.
struct AccountingRules {
  // Two samples further apart than this are a gap: a register's difference across it is
  // spread over the gap and marked estimated; power is not integrated across it. The store
  // sets it per series (see HistoryStore::gap_limit_ms).
  std::int64_t max_gap_ms = 5 * 60 * 1000;
  // A register step implying more than this is a meter swap or a glitch, not consumption.
  double max_power_w = 100000;
};

}  // namespace meterd::dashboard
