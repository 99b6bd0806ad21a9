#include "meterd/energy_balance.hpp"

#include <algorithm>

namespace meterd {
namespace {
// Adds a role's meters into `sum`; false when one of them is not known.
bool add_all(const std::vector<Measured>& meters, double& sum, double& coverage) {
  for (const auto& m : meters) {
    if (!m.value) return false;
    sum += *m.value;
    coverage = std::min(coverage, m.coverage);
  }
  return true;
}
}  // namespace

BalanceScope balance_scope(const BalanceInputs& in) {
  BalanceScope s;
  s.grid = in.grid_import.has_value() && in.grid_export.has_value();
  s.production = !in.pv.empty();
  s.consumption = s.grid && s.production;
  return s;
}

IntervalBalance balance_interval(const BalanceInputs& in) {
  IntervalBalance out;
  for (const auto& c : in.consumers) out.consumers.push_back(c.value);
  const auto scope = balance_scope(in);
  if (!scope.grid && !scope.production) return out;
  double coverage = 1, charge = 0, discharge = 0;
  if (scope.grid) {
    if (!in.grid_import->value || !in.grid_export->value) return out;
    out.import_wh = *in.grid_import->value;
    out.export_wh = *in.grid_export->value;
    coverage = std::min({coverage, in.grid_import->coverage, in.grid_export->coverage});
  }
  if (!add_all(in.pv, out.production_wh, coverage) || !add_all(in.battery_charge, charge, coverage) ||
      !add_all(in.battery_discharge, discharge, coverage))
    return out;
  if (scope.consumption) {
    out.self_consumed_wh = std::clamp(out.production_wh - out.export_wh, 0.0, std::max(out.production_wh, 0.0));
    out.fed_in_wh = out.production_wh - out.self_consumed_wh;
    out.consumption_wh = out.import_wh - out.export_wh + out.production_wh + discharge - charge;
    out.own_supply_wh = out.consumption_wh - out.import_wh;
  }
  out.complete = true;
  out.coverage = std::clamp(coverage, 0.0, 1.0);
  return out;
}

void BalanceTotal::add(const IntervalBalance& b, std::int64_t duration_ms) {
  if (!b.complete) return;
  ++intervals_;
  covered_ms_ += b.coverage * static_cast<double>(duration_ms);
  import_ += b.import_wh;
  export_ += b.export_wh;
  production_ += b.production_wh;
  self_consumed_ += b.self_consumed_wh;
  fed_in_ += b.fed_in_wh;
  consumption_ += b.consumption_wh;
  own_supply_ += b.own_supply_wh;
  for (std::size_t i = 0; i < consumers_.size() && i < b.consumers.size(); ++i) {
    if (!b.consumers[i]) continue;
    consumers_[i].wh += *b.consumers[i];
    consumers_[i].consumption_wh += b.consumption_wh;
    ++consumers_[i].intervals;
  }
}

double BalanceTotal::coverage(std::int64_t period_ms) const {
  return period_ms > 0 ? std::clamp(covered_ms_ / static_cast<double>(period_ms), 0.0, 1.0) : 0.0;
}

std::optional<double> BalanceTotal::self_sufficiency() const {
  if (!scope_.consumption || intervals_ == 0 || consumption_ <= 0) return std::nullopt;
  return std::clamp(own_supply_ / consumption_, 0.0, 1.0);
}

std::optional<double> BalanceTotal::self_consumption_rate() const {
  if (!scope_.consumption || intervals_ == 0 || production_ <= 0) return std::nullopt;
  return std::clamp(self_consumed_ / production_, 0.0, 1.0);
}

std::optional<double> BalanceTotal::consumer_wh(std::size_t i) const {
  if (i >= consumers_.size() || consumers_[i].intervals == 0) return std::nullopt;
  return consumers_[i].wh;
}

std::optional<double> BalanceTotal::consumer_share(std::size_t i) const {
  if (!scope_.consumption || i >= consumers_.size() || consumers_[i].intervals == 0 || consumers_[i].consumption_wh <= 0)
    return std::nullopt;
  return consumers_[i].wh / consumers_[i].consumption_wh;
}

}  // namespace meterd
