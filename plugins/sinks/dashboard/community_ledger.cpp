#include "community_ledger.hpp"

#include <algorithm>
#include <cmath>

#include "meter_directions.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dashboard {
namespace {

// A 15-min energy as the ledger needs it: a month of them for thousands of meters stays
// small (the store's EnergyPeriod also carries prices and bands, ten times the bytes).
struct Quarter {
  double wh = 0, estimated_wh = 0;
  bool known = false;  // false: no data at all in the interval
};

// One register of one meter over the period, turned into whole Wh per interval.
struct Feed {
  std::size_t member = 0;
  std::string meter;
  Direction direction = Direction::import_energy;
  bool production = false;
  bool zero = false;  // a direction the meter does not measure: 0, known
  std::vector<Quarter> quarters;
  double total = 0;
  std::int64_t rounded = 0;
};

std::vector<Quarter> quarters_of(const Statistics& stats, const std::string& meter, Direction d, std::int64_t from,
                                 std::int64_t to) {
  const auto periods = stats.energy_quarters(meter, d, from, to);
  std::vector<Quarter> out(periods.size());
  for (std::size_t i = 0; i < periods.size(); ++i)
    if (periods[i].wh) out[i] = {*periods[i].wh, periods[i].estimated_wh, true};
  return out;
}

// The meters' registers each member is billed by, in the member's order.
std::vector<Feed> feeds_of(const Community& c, const HistoryStore& store, const Statistics& stats, std::int64_t from,
                           std::int64_t to) {
  std::vector<Feed> out;
  const auto add = [&](std::size_t i, const std::string& meter, Direction d, bool production) {
    Feed f;
    f.member = i, f.meter = meter, f.direction = d, f.production = production;
    f.zero = !measures(store, meter, d) && (measures(store, meter, Direction::import_energy) ||
                                            measures(store, meter, Direction::export_energy));
    if (!f.zero) f.quarters = quarters_of(stats, meter, d, from, to);
    out.push_back(std::move(f));
  };
  for (std::size_t i = 0; i < c.members.size(); ++i) {
    const auto& m = c.members[i];
    for (const auto& meter : m.meters) {
      if (m.role == MemberRole::consumer) {
        add(i, meter, Direction::import_energy, false);
      } else if (m.role == MemberRole::producer) {
        // A producer's meter: production on its export register (or its only one); what the
        // other register counts (an inverter's standby) is the producer's own consumption.
        const auto made = production_direction(store, meter);
        add(i, meter, made, true);
        const auto other = made == Direction::export_energy ? Direction::import_energy : Direction::export_energy;
        if (made == Direction::export_energy) add(i, meter, other, false);
      } else {
        add(i, meter, Direction::import_energy, false);
        add(i, meter, Direction::export_energy, true);
      }
    }
  }
  return out;
}

// The interval's Wh of a feed, rounded on the running total so the period adds up exactly;
// empty when the meter has no data in it.
std::optional<std::int64_t> take(Feed& f, std::size_t i, double& estimated) {
  if (f.zero) return 0;
  if (i >= f.quarters.size() || !f.quarters[i].known) return std::nullopt;
  f.total += f.quarters[i].wh;
  estimated += f.quarters[i].estimated_wh;
  const auto r = std::llround(f.total);
  const auto wh = r - f.rounded;
  f.rounded = r;
  return std::max<std::int64_t>(wh, 0);  // a register that went back (replaced meter) adds nothing
}

// The interval's prices per kWh, the same for every member: the price model is linear in the
// energy, so one charge of 1 kWh per interval replaces one per member and interval (the
// amounts are the same to the last bit: kWh times each component's price).
struct IntervalRates {
  Charge charge, credit;
  IntervalRates(const Prices& prices, std::int64_t start, const TimeZone& zone)
      : charge(prices.charge(1000.0, start, zone)), credit(prices.credit(1000.0, start, zone)) {}
};

void add_money(const Community& c, const IntervalRates& rates, const IntervalAllocation& a, std::size_t i, MemberLedger& m) {
  const auto& per_kwh = rates.charge;
  if (a.grid_draw_wh[i] > 0) {
    const double kwh = static_cast<double>(a.grid_draw_wh[i]) / 1000.0;
    m.grid_energy += kwh * per_kwh.energy, m.grid_usage += kwh * per_kwh.grid, m.grid_levies += kwh * per_kwh.levies;
  }
  if (a.allocated_wh[i] > 0) {
    const double kwh = static_cast<double>(a.allocated_wh[i]) / 1000.0;
    const double energy = kwh * per_kwh.energy, grid = kwh * per_kwh.grid, levies = kwh * per_kwh.levies;
    m.local_external_value += energy + grid + levies;
    if (c.kind == CommunityKind::leg) {
      // Local energy in a LEG crosses the public grid: its usage fee, reduced (StromVV Art.
      // 19h), and the levies are owed; in a ZEV or vZEV it stays behind the connection point.
      m.local_usage_full += grid;
      m.local_usage += grid * (1 - c.terms.leg_discount_percent / 100.0);
      m.local_levies += levies;
    }
  }
  if (a.fed_in_per_wh[i] > 0) m.feed_in_credit += static_cast<double>(a.fed_in_per_wh[i]) / 1000.0 * rates.credit.energy;
}

}  // namespace

std::int64_t local_day_start_ms(std::int64_t day, const TimeZone& zone) {
  const std::int64_t noon = day * 86400 + 43200;
  return zone.start_of_local_day(noon - zone.offset_at(noon)) * 1000;
}

CommunityLedger run_ledger(const Community& c, const HistoryStore& store, const Statistics& stats, std::int64_t from,
                           std::int64_t to, const std::function<void(const LedgerInterval&)>& each,
                           const std::function<void(const LedgerMeterInterval&)>& each_meter) {
  const auto& zone = stats.zone();
  const auto n = c.members.size();
  CommunityLedger out;
  out.from_ms = from, out.to_ms = to;
  out.members.resize(n);
  std::vector<std::int64_t> joins(n), leaves(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& m = c.members[i];
    joins[i] = local_day_start_ms(m.from_day, zone);
    leaves[i] = m.to_day ? local_day_start_ms(*m.to_day + 1, zone) : to;
    out.members[i].first_day_ms = std::clamp(joins[i], from, to);
    out.members[i].end_ms = std::clamp(leaves[i], from, to);
  }
  auto feeds = feeds_of(c, store, stats, from, to);
  const auto key = c.key();
  std::vector<std::int64_t> use(n), made(n), import_of_producer(n);
  std::vector<bool> missing(n), estimated(n);
  std::vector<double> spread(n);
  for (std::int64_t start = from, i = 0; start < to; start += 900'000, ++i) {
    ++out.intervals;
    std::fill(use.begin(), use.end(), 0), std::fill(made.begin(), made.end(), 0);
    std::fill(import_of_producer.begin(), import_of_producer.end(), 0);
    std::fill(missing.begin(), missing.end(), false), std::fill(spread.begin(), spread.end(), 0.0);
    for (auto& f : feeds) {
      double est = 0;
      const auto wh = take(f, static_cast<std::size_t>(i), est);
      const bool member = start >= joins[f.member] && start < leaves[f.member];
      if (!member) continue;
      if (each_meter) each_meter(LedgerMeterInterval{start, f.member, f.meter, f.direction, wh, est});
      if (!wh) {
        missing[f.member] = true;
        continue;
      }
      spread[f.member] += est;
      (f.production ? made : use)[f.member] += *wh;
      if (!f.production && c.members[f.member].role == MemberRole::producer) import_of_producer[f.member] += *wh;
    }
    bool resolved = true, any_estimate = false;
    for (std::size_t m = 0; m < n; ++m) {
      if (!(start >= joins[m] && start < leaves[m])) continue;
      auto& ml = out.members[m];
      ++ml.member_intervals;
      if (missing[m]) {
        if (ml.missing_intervals++ == 0) ml.first_missing_ms = start;
        ml.last_missing_ms = start;
        resolved = false;
      } else if (spread[m] > 0) {
        ++ml.estimated_intervals, ml.estimated_wh += std::llround(spread[m]), any_estimate = true;
      }
    }
    if (!resolved) {
      ++out.unresolved_intervals;
      continue;
    }
    out.estimated_intervals += any_estimate;
    const auto a = allocate_interval(use, made, key);
    const IntervalRates rates(stats.prices(), start, zone);
    for (std::size_t m = 0; m < n; ++m) {
      auto& ml = out.members[m];
      ml.consumption_wh += use[m], ml.production_wh += made[m], ml.producer_import_wh += import_of_producer[m];
      ml.allocated_wh += a.allocated_wh[m], ml.grid_wh += a.grid_draw_wh[m];
      ml.sold_wh += a.sold_wh[m], ml.fed_in_wh += a.fed_in_per_wh[m];
      add_money(c, rates, a, m, ml);
    }
    out.production_wh += a.production_wh, out.consumption_wh += a.consumption_wh, out.local_wh += a.local_wh;
    out.grid_wh += a.grid_wh, out.fed_in_wh += a.fed_in_wh;
    if (each) each(LedgerInterval{start, a, use, made, any_estimate});
  }
  return out;
}

}  // namespace meterd::dashboard
