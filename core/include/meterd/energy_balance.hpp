#pragma once
// A household's energy balance from its role meters (see meter_roles.hpp), one interval at a
// time, then summed into longer periods so every sum is exact:
//
//   consumption   = grid import - grid export + PV production + battery discharge - battery charge
//   own supply    = consumption - grid import  (what the house used from PV and battery)
//   self-consumed = PV production - grid export, clamped to [0, production]
//   fed in (PV)   = production - self-consumed            (so production = self-consumed + fed in)
//   self-sufficiency      = own supply / consumption       (autarky), clamped to [0, 1]
//   self-consumption rate = self-consumed / production
//
// Without a battery own supply equals self-consumed PV. With one they differ: PV stored in the
// battery is self-consumed when it is made but supplies the house when it is discharged, and a
// battery charged from the grid makes the interval's own supply negative (the house took less
// than it imported), which the next discharge gives back. Own supply is therefore not clamped
// per interval, so that sums over a day stay exact (consumption = import + own supply); only
// the ratio is. The clamp of self-consumed matters only when export exceeds production (a
// battery discharging into the grid, or meters whose intervals disagree): that export is not
// PV fed in. The inputs may be
// energies (Wh per interval) or powers (W at an instant): the formulas are linear, so the same
// function gives the live flows. Nothing is invented: a figure that needs an unknown input is
// unknown, and an interval missing any configured input counts only as lost coverage.
#include <cstdint>
#include <optional>
#include <vector>

namespace meterd {

// One meter's figure in one interval: its energy (empty: not known) and the share of the
// interval its readings cover (0..1).
struct Measured {
  std::optional<double> value;
  double coverage = 0;
};

// The interval's inputs for the roles configured: an empty grid means no grid meter, an
// empty vector no meter of that role.
struct BalanceInputs {
  std::optional<Measured> grid_import, grid_export;
  std::vector<Measured> pv;                                  // each production meter
  std::vector<Measured> battery_charge, battery_discharge;   // each battery, same order
  std::vector<Measured> consumers;                           // each sub-meter
};

// What the roles configured can tell, at all (independent of the data).
struct BalanceScope {
  bool grid = false;         // import, export
  bool production = false;   // a pv meter
  bool consumption = false;  // grid and pv: consumption, self-consumed, ratios
};
BalanceScope balance_scope(const BalanceInputs& inputs);

struct IntervalBalance {
  bool complete = false;  // every configured input known: the figures below hold
  double coverage = 0;    // the least coverage of the inputs when complete, else 0
  double import_wh = 0, export_wh = 0, production_wh = 0, self_consumed_wh = 0, fed_in_wh = 0, consumption_wh = 0;
  double own_supply_wh = 0;
  std::vector<std::optional<double>> consumers;  // each sub-meter's energy, when known
};
IntervalBalance balance_interval(const BalanceInputs& inputs);

// The sum of a period's complete intervals. Figures the scope cannot tell, and every figure of
// a period without a complete interval, are empty.
class BalanceTotal {
 public:
  BalanceTotal(BalanceScope scope, std::size_t consumers) : scope_(scope), consumers_(consumers) {}
  void add(const IntervalBalance& interval, std::int64_t duration_ms);

  // Share of the period (0..1) covered by complete, measured intervals.
  double coverage(std::int64_t period_ms) const;
  std::optional<double> import_wh() const { return known(scope_.grid, import_); }
  std::optional<double> export_wh() const { return known(scope_.grid, export_); }
  std::optional<double> production_wh() const { return known(scope_.production, production_); }
  std::optional<double> self_consumed_wh() const { return known(scope_.consumption, self_consumed_); }
  std::optional<double> fed_in_wh() const { return known(scope_.consumption, fed_in_); }
  std::optional<double> consumption_wh() const { return known(scope_.consumption, consumption_); }
  std::optional<double> own_supply_wh() const { return known(scope_.consumption, own_supply_); }
  std::optional<double> self_sufficiency() const;
  std::optional<double> self_consumption_rate() const;
  // A sub-meter's energy and its share of the consumption, both over the intervals where it
  // and the balance are known.
  std::optional<double> consumer_wh(std::size_t i) const;
  std::optional<double> consumer_share(std::size_t i) const;

 private:
  std::optional<double> known(bool in_scope, double v) const {
    return in_scope && intervals_ > 0 ? std::optional<double>(v) : std::nullopt;
  }
  struct Consumer {
    double wh = 0, consumption_wh = 0;
    std::size_t intervals = 0;
  };
  BalanceScope scope_;
  std::size_t intervals_ = 0;
  double covered_ms_ = 0;
  double import_ = 0, export_ = 0, production_ = 0, self_consumed_ = 0, fed_in_ = 0, consumption_ = 0, own_supply_ = 0;
  std::vector<Consumer> consumers_;
};

}  // namespace meterd
