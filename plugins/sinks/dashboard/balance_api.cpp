#include "balance_api.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "json_arrays.hpp"
#include "live_power.hpp"
#include "meter_directions.hpp"
#include "meterd/energy_balance.hpp"
#include "meterd/http/http_error.hpp"
#include "request_params.hpp"
#include "share_scope.hpp"

namespace meterd::dashboard {

using http::HttpError;
using http::QueryParams;
using http::Response;
using nlohmann::json;

namespace {
const char* role_name(MeterRole role) {
  switch (role) {
    case MeterRole::grid: return "grid";
    case MeterRole::pv: return "pv";
    case MeterRole::battery: return "battery";
    case MeterRole::consumer: return "consumer";
  }
  return "consumer";
}

// The inputs one interval (or one instant) takes from each role meter, filled by `measure`
// (meter, direction) in the order the roles are configured.
template <typename Measure>
BalanceInputs inputs_of(const std::vector<RoleEntry>& roles, Measure&& measure) {
  BalanceInputs in;
  for (const auto& r : roles) {
    switch (r.role) {
      case MeterRole::grid:
        in.grid_import = measure(r.meter, Direction::import_energy);
        in.grid_export = measure(r.meter, Direction::export_energy);
        break;
      case MeterRole::pv: in.pv.push_back(measure(r.meter, Direction::export_energy)); break;
      case MeterRole::battery:
        in.battery_charge.push_back(measure(r.meter, Direction::import_energy));
        in.battery_discharge.push_back(measure(r.meter, Direction::export_energy));
        break;
      case MeterRole::consumer: in.consumers.push_back(measure(r.meter, Direction::import_energy)); break;
    }
  }
  return in;
}

}  // namespace

std::vector<RoleEntry> BalanceApi::roles_for(const QueryParams& q, const Access& access) const {
  const auto asked = q.list("meters", 32);
  if (asked)
    for (const auto& m : *asked)
      if (!store_.has_meter(m) || !access.allows_meter(m)) throw HttpError(404, "unknown meter '" + m + "'");
  std::vector<RoleEntry> out;
  for (const auto& r : roles_.entries()) {
    if (!access.allows_meter(r.meter)) continue;
    if (asked && std::find(asked->begin(), asked->end(), r.meter) == asked->end()) continue;
    out.push_back(r);
  }
  return out;
}

json BalanceApi::roles_json(const std::vector<RoleEntry>& roles) const {
  json out = json::array();
  for (const auto& r : roles)
    out.push_back({{"meter", r.meter}, {"name", names_.of(r.meter)}, {"role", role_name(r.role)}, {"kind", r.kind}});
  return out;
}

Response BalanceApi::periods(http::Request& r, const Access& access) const {
  QueryParams q(r);
  q.allow_only({"period", "from", "to", "meters"});
  Period period;
  const auto period_name = q.choice("period", {"hour", "day", "week", "month", "year"}).value_or("day");
  parse_period(period_name, period);
  if (period == Period::hour && !access.at_least(Detail::hourly)) throw HttpError(403, "this link shares daily totals only");
  // Read from 15-min intervals: a few years of them per meter, not the 20 years of `energy`.
  const std::int64_t max_ms = period == Period::hour ? 93 * kDayMs : 3 * 366 * kDayMs;
  const auto range = scoped(read_range(q, store_.zone(), max_ms), access);
  const auto roles = roles_for(q, access);
  const auto edges = period_edges(period, range.from, range.to, store_.zone());

  // Each role meter's 15-min energies, in one direction, over the whole span.
  std::map<std::pair<std::string, Direction>, std::vector<EnergyPeriod>> quarters;
  const auto series = [&](const std::string& meter, Direction d) -> const std::vector<EnergyPeriod>& {
    auto& q15 = quarters[{meter, d}];
    if (q15.empty()) q15 = stats_.energy_quarters(meter, d, edges.front(), edges.back());
    return q15;
  };
  const auto interval_count = series(roles.empty() ? std::string{} : roles.front().meter, Direction::import_energy).size();

  std::vector<BalanceTotal> totals;
  std::optional<BalanceScope> scope;
  std::size_t consumers = 0;
  for (const auto& role : roles) consumers += role.role == MeterRole::consumer;
  std::size_t p = 0;
  for (std::size_t i = 0; i < interval_count && !roles.empty(); ++i) {
    const auto in = inputs_of(roles, [&](const std::string& meter, Direction d) -> Measured {
      const auto* role = roles_.find(meter);
      if (role->role == MeterRole::pv) d = production_direction(store_, meter);
      if (!measures(store_, meter, d)) {
        // A direction the meter never measured (an import-only grid meter's export) is zero,
        // known as well as the other direction is.
        const auto& other = series(meter, d == Direction::import_energy ? Direction::export_energy : Direction::import_energy)[i];
        return {other.wh ? std::optional<double>(0.0) : std::nullopt, other.coverage};
      }
      const auto& e = series(meter, d)[i];
      return {e.wh, e.coverage};
    });
    if (!scope) {
      scope = balance_scope(in);
      totals.assign(edges.size() - 1, BalanceTotal(*scope, consumers));
    }
    const auto& q15 = series(roles.front().meter, Direction::import_energy)[i];
    while (p + 1 < edges.size() && q15.start_ms >= edges[p + 1]) ++p;
    if (p + 1 < edges.size() && q15.start_ms >= edges[p]) totals[p].add(balance_interval(in), q15.end_ms - q15.start_ms);
  }
  if (!scope) totals.assign(edges.size() - 1, BalanceTotal(BalanceScope{}, 0));

  json rows = json::array();
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    // Periods reaching outside a share's window would reveal data beyond it.
    if (!period_visible(access, edges[i], edges[i + 1])) continue;
    const auto& t = totals[i];
    json subs = json::array();
    std::size_t c = 0;
    for (const auto& role : roles)
      if (role.role == MeterRole::consumer) {
        subs.push_back({{"meter", role.meter}, {"kind", role.kind}, {"wh", or_null(t.consumer_wh(c))},
                        {"share", or_null(t.consumer_share(c))}});
        ++c;
      }
    rows.push_back({{"start_ms", edges[i]}, {"end_ms", edges[i + 1]}, {"import_wh", or_null(t.import_wh())},
                    {"export_wh", or_null(t.export_wh())}, {"production_wh", or_null(t.production_wh())},
                    {"self_consumed_wh", or_null(t.self_consumed_wh())}, {"fed_in_wh", or_null(t.fed_in_wh())},
                    {"consumption_wh", or_null(t.consumption_wh())}, {"own_supply_wh", or_null(t.own_supply_wh())},
                    {"self_sufficiency", or_null(t.self_sufficiency())},
                    {"self_consumption_rate", or_null(t.self_consumption_rate())},
                    {"coverage", t.coverage(edges[i + 1] - edges[i])}, {"consumers", subs}});
  }
  const auto known = scope.value_or(BalanceScope{});
  return Response::json({{"period", period_name},
                         {"roles", roles_json(roles)},
                         {"known", {{"grid", known.grid}, {"production", known.production}, {"consumption", known.consumption}}},
                         {"periods", rows}});
}

Response BalanceApi::now(http::Request& r, const Access& access) const {
  QueryParams q(r);
  q.allow_only({"meters"});
  const auto roles = roles_for(q, access);
  const auto now_ms = clock_();
  require_present(access, now_ms);
  json meters = json::array();
  std::map<std::string, json> latest;
  for (const auto& role : roles) latest[role.meter] = live_.latest(role.meter);
  // A meter's power in one direction, in W, when its reading is recent enough to trust.
  const auto power = [&](const std::string& meter, Direction d) -> Measured {
    const auto w = live_power(store_, latest[meter], meter, d, now_ms, offline_after_ms_);
    return w ? Measured{*w, 1} : Measured{};
  };
  for (const auto& role : roles) {
    const auto d_in = role.role == MeterRole::pv ? production_direction(store_, role.meter) : Direction::import_energy;
    auto row = json{{"meter", role.meter}, {"name", names_.of(role.meter)}, {"role", role_name(role.role)}, {"kind", role.kind}};
    if (role.role == MeterRole::pv) {
      row["production_w"] = or_null(power(role.meter, d_in).value);
    } else {
      row["import_w"] = or_null(power(role.meter, Direction::import_energy).value);
      row["export_w"] = or_null(power(role.meter, Direction::export_energy).value);
    }
    meters.push_back(std::move(row));
  }
  const auto in = inputs_of(roles, [&](const std::string& meter, Direction d) {
    if (roles_.find(meter)->role == MeterRole::pv) d = production_direction(store_, meter);
    return power(meter, d);
  });
  const auto b = balance_interval(in);
  const auto scope = balance_scope(in);
  const auto when = [&](bool in_scope, double v) { return b.complete && in_scope ? json(v) : json(nullptr); };
  // The grid's flow needs only the grid meter, whatever the others say.
  std::optional<double> grid_w;
  if (scope.grid && in.grid_import->value && in.grid_export->value) grid_w = *in.grid_import->value - *in.grid_export->value;
  double battery = 0;
  bool battery_known = !in.battery_charge.empty();
  for (std::size_t i = 0; i < in.battery_charge.size(); ++i) {
    if (!in.battery_charge[i].value || !in.battery_discharge[i].value) battery_known = false;
    else battery += *in.battery_discharge[i].value - *in.battery_charge[i].value;
  }
  return Response::json({{"now_ms", now_ms},
                         {"roles", meters},
                         {"flows",
                          {{"grid_w", grid_w ? json(*grid_w) : json(nullptr)},
                           {"production_w", when(scope.production, b.production_wh)},
                           {"consumption_w", when(scope.consumption, b.consumption_wh)},
                           {"self_consumed_w", when(scope.consumption, b.self_consumed_wh)},
                           {"battery_w", battery_known ? json(battery) : json(nullptr)}}}});
}

}  // namespace meterd::dashboard
