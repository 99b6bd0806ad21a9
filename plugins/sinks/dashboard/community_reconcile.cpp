#include "community_reconcile.hpp"

#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "community_ledger.hpp"
#include "csv_reply.hpp"

namespace meterd::dashboard {
namespace {

using nlohmann::json;
constexpr std::int64_t kQuarterMs = 900'000;

// The operator's 15-min values of one quantity by start; intervals of another length counted.
struct OperatorSeries {
  bool exists = false;
  std::map<std::int64_t, double> wh;
  std::int64_t not_15_min = 0;
};

OperatorSeries operator_series(const HistoryStore& store, const std::string& id, Direction d, std::int64_t from,
                               std::int64_t to) {
  OperatorSeries out;
  const auto series = store.find(id, energy_quantity(d) + "#interval");
  if (!series) return out;
  out.exists = true;
  for (const auto& v : store.intervals(series->id, from, to)) {
    if (v.end_ms - v.start_ms != kQuarterMs) ++out.not_15_min;
    else out.wh[v.start_ms] = v.wh;
  }
  return out;
}

bool has_any_intervals(const HistoryStore& store, const std::string& id) {
  for (const auto d : {Direction::import_energy, Direction::export_energy})
    if (store.find(id, energy_quantity(d) + "#interval")) return true;
  return false;
}

// Wh as read from the operator's kWh: to a thousandth, so 0.123 kWh shows as 123, not 123.00000000000001.
double tidy(double wh) { return std::round(wh * 1000) / 1000; }

void compare(MeterReconciliation& m, const OperatorSeries& op, const LedgerMeterInterval& i, double tolerance) {
  ++m.intervals;
  const auto it = op.wh.find(i.start_ms);
  const std::optional<double> theirs = it == op.wh.end() ? std::nullopt : std::optional<double>(it->second);
  const bool estimated = i.wh && i.estimated_wh > 0;
  m.estimated += estimated;
  ReconciledInterval row{i.start_ms, IntervalMatch::differs, i.wh, theirs, estimated};
  if (!i.wh || !theirs) {
    row.match = i.wh ? IntervalMatch::missing_operator : IntervalMatch::missing_meterd;
    ++(i.wh ? m.missing_operator : m.missing_meterd);
    m.listed.push_back(row);
    return;
  }
  ++m.compared;
  const double diff = static_cast<double>(*i.wh) - *theirs;
  m.meterd_wh += *i.wh, m.operator_wh += *theirs, m.difference_wh += diff;
  if (std::abs(diff) <= tolerance) return;
  ++m.differing;
  m.listed.push_back(row);
}

const char* match_name(IntervalMatch m) {
  switch (m) {
    case IntervalMatch::differs: return "differs";
    case IntervalMatch::missing_operator: return "missing_operator";
    case IntervalMatch::missing_meterd: return "missing_meterd";
  }
  return "differs";
}

json interval_json(const ReconciledInterval& i, const TimeZone& zone) {
  json out = {{"start", local_iso_time(i.start_ms, zone)}, {"start_ms", i.start_ms}, {"status", match_name(i.match)},
              {"meterd_wh", nullptr}, {"operator_wh", nullptr}, {"difference_wh", nullptr}, {"estimated", i.estimated}};
  if (i.meterd_wh) out["meterd_wh"] = *i.meterd_wh;
  if (i.operator_wh) out["operator_wh"] = tidy(*i.operator_wh);
  if (i.meterd_wh && i.operator_wh) out["difference_wh"] = tidy(static_cast<double>(*i.meterd_wh) - *i.operator_wh);
  return out;
}

}  // namespace

Reconciliation reconcile(const Community& c, const HistoryStore& store, const Statistics& stats, std::int64_t from,
                         std::int64_t to) {
  Reconciliation out;
  out.tolerance_wh = c.reconcile_tolerance_wh;
  std::set<std::string> unreferenced;
  for (const auto& m : c.members)
    for (const auto& meter : m.meters)
      if (!c.reference_of(meter)) unreferenced.insert(meter);
  out.unreferenced.assign(unreferenced.begin(), unreferenced.end());
  // (member, meter, direction): the ledger's registers, in member order.
  std::map<std::tuple<std::size_t, std::string, Direction>, MeterReconciliation> meters;
  std::map<std::pair<std::string, Direction>, OperatorSeries> series;
  std::map<std::string, bool> any_data;
  run_ledger(c, store, stats, from, to, {}, [&](const LedgerMeterInterval& i) {
    const auto* ref = c.reference_of(i.meter);
    if (!ref) return;
    auto s = series.find({ref->operator_id, i.direction});
    if (s == series.end())
      s = series.emplace(std::pair{ref->operator_id, i.direction}, operator_series(store, ref->operator_id, i.direction, from, to)).first;
    auto any = any_data.find(ref->operator_id);
    if (any == any_data.end()) any = any_data.emplace(ref->operator_id, has_any_intervals(store, ref->operator_id)).first;
    // A register the operator sends no data of is not compared (many send the import only);
    // when it sends nothing at all (an import not done, a wrong id), everything is missing.
    if (!s->second.exists && any->second) return;
    const auto key = std::tuple{i.member, i.meter, i.direction};
    auto m = meters.find(key);
    if (m == meters.end()) {
      MeterReconciliation fresh;
      fresh.member = c.members[i.member].id, fresh.meter = i.meter, fresh.operator_id = ref->operator_id;
      fresh.direction = i.direction, fresh.operator_data = any->second, fresh.not_15_min = s->second.not_15_min;
      m = meters.emplace(key, std::move(fresh)).first;
    }
    compare(m->second, s->second, i, c.reconcile_tolerance_wh);
  });
  for (auto& [key, m] : meters) out.meters.push_back(std::move(m));
  return out;
}

json reconciliation_json(const Reconciliation& r, const std::string& period, const TimeZone& zone) {
  json meters = json::array();
  for (const auto& m : r.meters) {
    json listed = json::array();
    for (const auto& i : m.listed) listed.push_back(interval_json(i, zone));
    meters.push_back({{"member", m.member}, {"meter", m.meter}, {"operator_meter", m.operator_id},
                      {"quantity", energy_quantity(m.direction)}, {"operator_data", m.operator_data},
                      {"intervals", m.intervals}, {"compared", m.compared}, {"differing", m.differing},
                      {"missing_operator", m.missing_operator}, {"missing_meterd", m.missing_meterd},
                      {"estimated", m.estimated}, {"not_15_min", m.not_15_min}, {"meterd_wh", m.meterd_wh},
                      {"operator_wh", tidy(m.operator_wh)}, {"difference_wh", tidy(m.difference_wh)},
                      {"listed", listed}});
  }
  return {{"period", period}, {"tolerance_wh", r.tolerance_wh}, {"meters", meters}, {"without_reference", r.unreferenced}};
}

std::string reconciliation_csv(const Reconciliation& r, const TimeZone& zone) {
  json rows = json::array();
  for (const auto& m : r.meters) {
    const json who = {{"member", m.member}, {"meter", m.meter}, {"operator_meter", m.operator_id},
                      {"quantity", energy_quantity(m.direction)}};
    for (const auto& i : m.listed) {
      auto row = interval_json(i, zone);
      row.update(who);
      row["estimated"] = i.estimated ? "yes" : "no";
      rows.push_back(row);
    }
    auto total = who;
    total.update({{"status", "total"}, {"meterd_wh", m.meterd_wh}, {"operator_wh", tidy(m.operator_wh)},
                  {"difference_wh", tidy(m.difference_wh)}});
    rows.push_back(total);
  }
  return csv_from_rows(rows,
                       {{"member", "member"}, {"meter", "meter"}, {"operator_meter", "operator_meter"}, {"quantity", "quantity"},
                        {"start_ms", "start [" + zone.name() + "]", true}, {"status", "status"},
                        {"meterd_wh", "meterd [Wh]"}, {"operator_wh", "operator [Wh]"}, {"difference_wh", "difference [Wh]"},
                        {"estimated", "estimated"}},
                       zone);
}

}  // namespace meterd::dashboard
