#pragma once
// Server-side statistics over the history store: energy and cost per calendar period, range
// totals, comparisons, base load, monthly 15-min peak demand, HT/NT split, hour-of-day
// matrix, each meter's share, voltage band and power factor.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calendar.hpp"
#include "history_store.hpp"
#include "price_schedule.hpp"

namespace meterd::dashboard {

enum class Direction { import_energy, export_energy };

struct EnergyPeriod {
  std::int64_t start_ms = 0, end_ms = 0;
  std::optional<double> wh;  // empty: no data at all (a gap stays a gap)
  double coverage = 0;       // share of the period covered by data, 0..1
  double cost = 0;
  double high_wh = 0, low_wh = 0;  // HT/NT split when a schedule is configured
  std::string source;              // "register", "intervals" or "power"
  double estimated_wh = 0;         // the part of wh spread over a gap in the readings
  double high_cost = 0, low_cost = 0;  // the cost's HT/NT parts
  // The cost's components (cost = energy + grid + levies + vat) and its split by band; for
  // exported energy `cost` is the feed-in credit.
  double energy_cost = 0, grid_cost = 0, levies_cost = 0, vat_cost = 0;
  std::vector<double> band_wh{}, band_cost{};
  double dynamic_wh = 0;  // energy costed at a dynamic price (the rest at the fixed one)
};

struct VoltageBand {
  std::string phase;
  std::optional<double> min, max, mean;
  std::uint64_t minutes_below = 0, minutes_above = 0, minutes = 0;  // 1-min buckets outside 230 V ±10 %
};

class Statistics {
 public:
  Statistics(const HistoryStore& store, Prices prices) : store_(store), prices_(std::move(prices)) {}

  // Energy per calendar period overlapping [from, to).
  std::vector<EnergyPeriod> energy(const std::string& meter, Direction direction, Period period, std::int64_t from_ms,
                                   std::int64_t to_ms) const;
  // Energy of an arbitrary range: exact where raw points are kept, else to whole minutes.
  EnergyPeriod energy_range(const std::string& meter, Direction direction, std::int64_t from_ms, std::int64_t to_ms) const;
  // Energy of [from, to) where `from` is a local midnight: whole days, then the rest of the
  // last day at 1-min precision (a year so far reads days, not half a million minutes).
  EnergyPeriod energy_since_midnight(const std::string& meter, Direction direction, std::int64_t from_ms,
                                     std::int64_t to_ms) const;
  // Energy per 15-min interval overlapping [from, to), from the 15-min rollups. Energy only:
  // not priced (cost and its parts stay 0), since its callers, the balance and the community
  // ledger, price the energies they derive from these themselves.
  std::vector<EnergyPeriod> energy_quarters(const std::string& meter, Direction direction, std::int64_t from_ms,
                                            std::int64_t to_ms) const {
    return energy_buckets(meter, direction, Tier::quarter, from_ms, to_ms, false);
  }
  // 10th percentile of the 1-min mean power between 00:00 and 05:00 local time, in W.
  std::optional<double> base_load_w(const std::string& meter, std::int64_t from_ms, std::int64_t to_ms) const;
  // A constant load for a year at the prices valid at `at_ms`, HT and NT hours as the schedule has them.
  double yearly_cost_of(double watts, std::int64_t at_ms) const { return prices_.yearly_cost_of(watts, at_ms); }
  // Highest 15-min energy of each month as mean kW, with its start.
  struct Peak {
    std::int64_t month_start_ms, at_ms;
    double kw;
  };
  std::vector<Peak> monthly_peaks(const std::string& meter, std::int64_t from_ms, std::int64_t to_ms) const;
  // The same for the meters' sum: their 15-min energies are added before the highest is chosen.
  std::vector<Peak> monthly_peaks(const std::vector<std::string>& meters, std::int64_t from_ms, std::int64_t to_ms) const;
  // Energy, cost and HT/NT split of the meters together over the whole local days inside
  // [from, to); coverage is the meters' mean.
  EnergyPeriod energy_total(const std::vector<std::string>& meters, Direction direction, std::int64_t from_ms,
                            std::int64_t to_ms) const;
  // [day][local hour] energy in Wh; a 25-hour day's repeated hour adds into its local hour.
  struct Matrix {
    std::vector<std::int64_t> days;
    std::vector<std::vector<std::optional<double>>> wh;
  };
  Matrix hour_matrix(const std::string& meter, Direction direction, std::int64_t from_ms, std::int64_t to_ms) const;
  std::vector<VoltageBand> voltage(const std::string& meter, std::int64_t from_ms, std::int64_t to_ms) const;
  struct PowerFactor {
    std::optional<double> mean, min;
  };
  PowerFactor power_factor(const std::string& meter, std::int64_t from_ms, std::int64_t to_ms) const;
  const Prices& prices() const { return prices_; }
  const TimeZone& zone() const { return store_.zone(); }
  // The dynamic prices of [from, to) from the store (empty without `dynamic_meter`).
  PriceTable dynamic_prices(std::int64_t from_ms, std::int64_t to_ms) const;
  // The tier energy is costed from: 15 min with dynamic prices, hours with bands, else days.
  Tier cost_tier(Period period) const;

 private:
  // Energy per bucket of `tier` overlapping [from, to) with the best source the meter has.
  // `priced`: also the cost of each bucket that has one price.
  std::vector<EnergyPeriod> energy_buckets(const std::string& meter, Direction direction, Tier tier, std::int64_t from_ms,
                                           std::int64_t to_ms, bool priced = true) const;
  // Energy per period [edges[i], edges[i+1]) read from `tier`; priced when a period has one price.
  std::vector<EnergyPeriod> energy_parts(const std::string& meter, Direction direction, Tier tier,
                                         const std::vector<std::int64_t>& edges, bool priced = true) const;
  const HistoryStore& store_;
  Prices prices_;
};

std::string energy_quantity(Direction direction);
std::string power_quantity(Direction direction);

}  // namespace meterd::dashboard
