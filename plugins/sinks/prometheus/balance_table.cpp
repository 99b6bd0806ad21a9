#include "balance_table.hpp"

#include "meterd/energy_balance.hpp"

namespace meterd::prometheus {
namespace {
constexpr std::int64_t kQuarterMs = 15 * 60'000;
constexpr std::int64_t kKeepMs = 2 * 86'400'000LL;  // boundaries kept: today and a margin

double unit_factor(const std::string& unit) {
  if (unit == "kWh" || unit == "kW") return 1000.0;
  if (unit == "MWh" || unit == "MW") return 1e6;
  return 1.0;
}

std::int64_t local_midnight(std::int64_t now_ms, const TimeZone& zone) {
  auto c = seconds_to_civil(zone.utc_to_local(now_ms / 1000));
  c.hour = c.minute = c.second = 0;
  const auto starts = zone.local_to_utc(civil_to_seconds(c));
  return (starts.empty() ? now_ms / 1000 : starts.front()) * 1000;
}
}  // namespace

void BalanceTable::add_register(Register& r, std::int64_t t_ms, double wh) {
  if (r.t_ms > 0 && t_ms > r.t_ms && wh >= r.wh) {
    // R(b) for every boundary b in (previous, this]: the register interpolated linearly.
    for (auto b = (r.t_ms / kQuarterMs + 1) * kQuarterMs; b <= t_ms; b += kQuarterMs)
      r.at_boundary[b] = r.wh + (wh - r.wh) * static_cast<double>(b - r.t_ms) / static_cast<double>(t_ms - r.t_ms);
  } else if (r.t_ms > 0 && t_ms > r.t_ms) {
    r.at_boundary.clear();  // a reset or a swapped meter: nothing across it is known
  }
  if (t_ms % kQuarterMs == 0) r.at_boundary[t_ms] = wh;
  if (t_ms >= r.t_ms) {
    r.t_ms = t_ms;
    r.wh = wh;
  }
  while (!r.at_boundary.empty() && r.at_boundary.begin()->first < t_ms - kKeepMs) r.at_boundary.erase(r.at_boundary.begin());
}

bool BalanceTable::update(const v1::Reading& reading) {
  if (!roles_.find(reading.meter_id())) return false;
  const std::int64_t t = reading.has_meter_time_ms() ? reading.meter_time_ms() : reading.received_ms();
  std::lock_guard lock(mutex_);
  auto& meter = meters_[reading.meter_id()];
  for (const auto& v : reading.values()) {
    if (!v.has_number() || v.interval_end_ms() > v.interval_start_ms()) continue;
    const auto at = v.time_ms() ? v.time_ms() : t;
    const auto& q = v.quantity();
    const double value = v.number() * unit_factor(v.unit());
    if (q == "active_energy_import" || q == "active_energy_export") add_register(meter.registers[q == "active_energy_export"], at, value);
    if (q == "active_power_import" || q == "active_power_export") meter.powers[q == "active_power_export"] = {at, value};
  }
  return true;
}

void BalanceTable::append_to(FamilySet& out, std::int64_t now_ms) const {
  if (roles_.empty()) return;
  std::lock_guard lock(mutex_);
  // A meter's figure in one direction: the one it reports on, zero for a direction it never
  // reported while reporting the other (an import-only meter's export), else unknown.
  const auto pick = [&](const std::string& meter, bool exported, auto&& known, auto&& value) -> Measured {
    const auto m = meters_.find(meter);
    if (m == meters_.end()) return {};
    const auto own = known(m->second, exported), other = known(m->second, !exported);
    if (own) return {value(m->second, exported), 1};
    if (other && !m->second.registers.count(exported) && !m->second.powers.count(exported)) return {0.0, 1};
    return {};
  };
  // PV meters deliver on export when they report it, else on import.
  const auto production_export = [&](const std::string& meter) {
    const auto m = meters_.find(meter);
    return m == meters_.end() || m->second.registers.count(true) || m->second.powers.count(true);
  };
  const auto inputs = [&](auto&& measure) {
    BalanceInputs in;
    for (const auto& r : roles_.entries()) {
      switch (r.role) {
        case MeterRole::grid:
          in.grid_import = measure(r.meter, false);
          in.grid_export = measure(r.meter, true);
          break;
        case MeterRole::pv: in.pv.push_back(measure(r.meter, production_export(r.meter))); break;
        case MeterRole::battery:
          in.battery_charge.push_back(measure(r.meter, false));
          in.battery_discharge.push_back(measure(r.meter, true));
          break;
        case MeterRole::consumer: in.consumers.push_back(measure(r.meter, false)); break;
      }
    }
    return in;
  };

  // Today's intervals, from local midnight to the last whole quarter.
  const auto midnight = local_midnight(now_ms, *zone_);
  std::optional<BalanceTotal> today;
  for (auto b = midnight; b + kQuarterMs <= now_ms; b += kQuarterMs) {
    const auto in = inputs([&](const std::string& meter, bool exported) {
      return pick(meter, exported,
                  [&](const MeterState& s, bool e) {
                    const auto r = s.registers.find(e);
                    return r != s.registers.end() && r->second.at_boundary.count(b) && r->second.at_boundary.count(b + kQuarterMs);
                  },
                  [&](const MeterState& s, bool e) {
                    const auto& at = s.registers.at(e).at_boundary;
                    return at.at(b + kQuarterMs) - at.at(b);
                  });
    });
    if (!today) today.emplace(balance_scope(in), in.consumers.size());
    today->add(balance_interval(in), kQuarterMs);
  }
  if (today) {
    const auto day_ms = now_ms - midnight;
    const auto add = [&](const char* name, const char* help, const std::optional<double>& v) {
      if (v) out.add(name, MetricType::gauge, help, {}, *v);
    };
    add("meterd_self_sufficiency_ratio", "Share of today's household consumption not drawn from the grid, from PV and battery (autarky)",
        today->self_sufficiency());
    add("meterd_self_consumption_ratio", "Share of today's PV production used in the house", today->self_consumption_rate());
    out.add("meterd_balance_coverage_ratio", MetricType::gauge,
            "Share of today so far with every role meter's energy known", {}, today->coverage(day_ms));
    const auto flow = [&](const char* name, const std::optional<double>& wh) {
      if (wh) out.add("meterd_balance_today_kwh", MetricType::gauge, "Energy of each balance flow since local midnight",
                      {{"flow", name}}, *wh / 1000.0);
    };
    flow("import", today->import_wh());
    flow("export", today->export_wh());
    flow("production", today->production_wh());
    flow("self_consumed", today->self_consumed_wh());
    flow("fed_in", today->fed_in_wh());
    flow("consumption", today->consumption_wh());
    flow("own_supply", today->own_supply_wh());
  }

  // The current flows from the latest powers still fresh.
  const auto now_in = inputs([&](const std::string& meter, bool exported) {
    return pick(meter, exported,
                [&](const MeterState& s, bool e) {
                  const auto p = s.powers.find(e);
                  return p != s.powers.end() && now_ms - p->second.t_ms <= staleness_ms_;
                },
                [&](const MeterState& s, bool e) { return s.powers.at(e).w; });
  });
  const auto b = balance_interval(now_in);
  const auto scope = balance_scope(now_in);
  const auto power = [&](const char* name, bool in_scope, double w) {
    if (in_scope) out.add("meterd_power_flow_watts", MetricType::gauge, "Current power of each balance flow", {{"flow", name}}, w);
  };
  // The grid's flow needs only the grid meter, whatever the others say.
  if (scope.grid && now_in.grid_import->value && now_in.grid_export->value)
    power("grid", true, *now_in.grid_import->value - *now_in.grid_export->value);
  if (!b.complete) return;
  power("production", scope.production, b.production_wh);
  power("consumption", scope.consumption, b.consumption_wh);
  power("self_consumed", scope.consumption, b.self_consumed_wh);
}

}  // namespace meterd::prometheus
