#include "statistics.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "meterd/time_zone.hpp"

namespace meterd::dashboard {

std::string energy_quantity(Direction d) { return d == Direction::import_energy ? "active_energy_import" : "active_energy_export"; }
std::string power_quantity(Direction d) { return d == Direction::import_energy ? "active_power_import" : "active_power_export"; }

namespace {
constexpr double kNominalVolts = 230.0;

void add_into(EnergyPeriod& total, const EnergyPeriod& part) {
  if (part.wh) total.wh = total.wh.value_or(0) + *part.wh;
  total.coverage += part.coverage * static_cast<double>(part.end_ms - part.start_ms);
  total.cost += part.cost;
  total.high_wh += part.high_wh;
  total.low_wh += part.low_wh;
  total.estimated_wh += part.estimated_wh;
  total.high_cost += part.high_cost;
  total.low_cost += part.low_cost;
  total.energy_cost += part.energy_cost;
  total.grid_cost += part.grid_cost;
  total.levies_cost += part.levies_cost;
  total.vat_cost += part.vat_cost;
  total.dynamic_wh += part.dynamic_wh;
  total.band_wh.resize(std::max(total.band_wh.size(), part.band_wh.size()));
  total.band_cost.resize(total.band_wh.size());
  for (std::size_t b = 0; b < part.band_wh.size(); ++b) {
    total.band_wh[b] += part.band_wh[b];
    total.band_cost[b] += part.band_cost[b];
  }
  if (total.source.empty()) total.source = part.source;
}

void apply(EnergyPeriod& e, const Charge& c, std::size_t bands) {
  e.cost = c.cost;
  e.high_wh = c.high_wh;
  e.low_wh = c.low_wh;
  e.high_cost = c.high_cost;
  e.low_cost = c.low_cost;
  e.energy_cost = c.energy;
  e.grid_cost = c.grid;
  e.levies_cost = c.levies;
  e.vat_cost = c.vat;
  if (c.dynamic) e.dynamic_wh = *e.wh;
  if (bands == 0) return;
  e.band_wh.assign(bands, 0);
  e.band_cost.assign(bands, 0);
  e.band_wh[c.band] = *e.wh;
  e.band_cost[c.band] = c.cost;
}

void finish(EnergyPeriod& total) {
  total.coverage = std::clamp(total.coverage / static_cast<double>(total.end_ms - total.start_ms), 0.0, 1.0);
}
}  // namespace

std::vector<EnergyPeriod> Statistics::energy_buckets(const std::string& meter, Direction direction, Tier tier,
                                                     std::int64_t from_ms, std::int64_t to_ms, bool priced) const {
  std::vector<std::int64_t> edges;
  if (tier == Tier::day) {
    edges = period_edges(Period::day, from_ms, to_ms, store_.zone());
  } else {
    const auto w = tier_width_ms(tier);
    for (auto t = from_ms - ((from_ms % w) + w) % w; t < to_ms; t += w) edges.push_back(t);
    edges.push_back(edges.empty() ? from_ms : edges.back() + w);
  }
  return energy_parts(meter, direction, tier, edges, priced);
}

std::vector<EnergyPeriod> Statistics::energy_parts(const std::string& meter, Direction direction, Tier tier,
                                                   const std::vector<std::int64_t>& edges, bool priced) const {
  const auto& zone = store_.zone();
  std::vector<EnergyPeriod> out;
  if (edges.size() < 2) return out;
  out.reserve(edges.size() - 1);
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) out.push_back(EnergyPeriod{edges[i], edges[i + 1], {}, 0, 0, 0, 0, {}});
  // Registers are exact; power is integrated only for a meter that has no register.
  std::optional<std::pair<std::int64_t, std::int64_t>> live_extent;
  auto live = store_.find(meter, energy_quantity(direction));
  const char* source = "register";
  if (!live) {
    live = store_.find(meter, power_quantity(direction));
    source = "power";
  }
  if (live) {
    const auto parts = store_.energy(live->id, tier, edges);
    for (std::size_t i = 0; i < parts.size() && i < out.size(); ++i) {
      if (!parts[i].known) continue;
      auto& e = out[i];
      e.wh = parts[i].wh;
      e.estimated_wh = parts[i].estimated_wh;
      e.coverage = static_cast<double>(parts[i].covered_ms) / static_cast<double>(e.end_ms - e.start_ms);
      e.source = source;
    }
  }
  // Imported intervals count only for time the live series does not span (before its first
  // reading, after its last): where both exist the register wins, so nothing counts twice.
  if (auto iv = store_.find(meter, energy_quantity(direction) + "#interval")) {
    if (live) live_extent = store_.extent(live->id);
    for (const auto& v : store_.intervals(iv->id, edges.front(), edges.back())) {
      const auto at = std::upper_bound(edges.begin(), edges.end(), v.start_ms);
      if (at == edges.begin() || at == edges.end() || v.end_ms > *at || v.end_ms <= v.start_ms) continue;  // does not fit
      auto& e = out[static_cast<std::size_t>(at - edges.begin()) - 1];
      std::int64_t overlap = 0;
      if (live_extent) overlap = std::max<std::int64_t>(0, std::min(v.end_ms, live_extent->second) - std::max(v.start_ms, live_extent->first));
      const auto outside = v.end_ms - v.start_ms - overlap;
      if (outside <= 0) continue;
      e.wh = e.wh.value_or(0) + v.wh * static_cast<double>(outside) / static_cast<double>(v.end_ms - v.start_ms);
      e.coverage += static_cast<double>(outside) / static_cast<double>(e.end_ms - e.start_ms);
      if (e.source.empty()) e.source = "intervals";
    }
  }
  // Fixed prices change on whole hours at most, dynamic ones on quarter hours: buckets up to
  // that long have one price.
  if (!priced) {
    for (auto& e : out) e.coverage = std::clamp(e.coverage, 0.0, 1.0);
    return out;
  }
  const bool one_price = prices_.dynamic_meter.empty() ? tier != Tier::day || !prices_.varies_by_hour() : tier <= Tier::quarter;
  const auto table = dynamic_prices(edges.front(), edges.back());
  const auto* dynamic = prices_.dynamic_meter.empty() ? nullptr : &table;
  const auto bands = prices_.band_names().size();
  for (auto& e : out) {
    e.coverage = std::clamp(e.coverage, 0.0, 1.0);
    if (!e.wh || !one_price) continue;
    apply(e, direction == Direction::export_energy ? prices_.credit(*e.wh, e.start_ms, zone, dynamic)
                                                   : prices_.charge(*e.wh, e.start_ms, zone, dynamic),
          bands);
  }
  return out;
}

std::vector<EnergyPeriod> Statistics::energy(const std::string& meter, Direction direction, Period period,
                                             std::int64_t from_ms, std::int64_t to_ms) const {
  const auto& zone = store_.zone();
  const auto edges = period_edges(period, from_ms, to_ms, zone);
  const Tier tier = cost_tier(period);
  // Days from the day tier are the periods themselves: no second walk through the calendar.
  const auto parts = tier == Tier::day && period == Period::day ? energy_parts(meter, direction, tier, edges)
                                                                : energy_buckets(meter, direction, tier, edges.front(), edges.back());
  std::vector<EnergyPeriod> out;
  std::size_t j = 0;
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    EnergyPeriod total{edges[i], edges[i + 1], {}, 0, 0, 0, 0, {}};
    while (j < parts.size() && parts[j].start_ms < total.end_ms) {
      if (parts[j].start_ms >= total.start_ms) add_into(total, parts[j]);
      ++j;
    }
    finish(total);
    out.push_back(std::move(total));
  }
  return out;
}

Tier Statistics::cost_tier(Period period) const {
  if (!prices_.dynamic_meter.empty()) return Tier::quarter;
  // Hours are needed for hourly periods and whenever the price depends on the hour.
  return period == Period::hour || prices_.varies_by_hour() ? Tier::hour : Tier::day;
}

PriceTable Statistics::dynamic_prices(std::int64_t from_ms, std::int64_t to_ms) const {
  PriceTable table;
  table.valid_ms = prices_.dynamic_max_age_ms;
  if (prices_.dynamic_meter.empty()) return table;
  const auto series = store_.find(prices_.dynamic_meter, "price");
  if (!series) return table;
  // A price is published at its interval's start, one per 15 min at most: each 15-min bucket's
  // first sample is that price.
  for (const auto& b : store_.buckets(series->id, Tier::quarter, from_ms - table.valid_ms, to_ms))
    if (b.count) table.points.push_back({b.first_ms, b.first});
  return table;
}

EnergyPeriod Statistics::energy_range(const std::string& meter, Direction direction, std::int64_t from_ms,
                                      std::int64_t to_ms) const {
  constexpr std::int64_t kMinute = 60'000;
  EnergyPeriod total{from_ms, to_ms, {}, 0, 0, 0, 0, {}};
  const auto inner_from = from_ms + ((kMinute - from_ms % kMinute) % kMinute + kMinute) % kMinute;
  const auto inner_to = to_ms - ((to_ms % kMinute) + kMinute) % kMinute;
  // The partial minutes at the ends come from raw points where they are still kept.
  std::optional<std::int64_t> raw_from;
  if (auto live = store_.find(meter, energy_quantity(direction))) raw_from = store_.oldest(live->id, Tier::raw);
  else if (auto pw = store_.find(meter, power_quantity(direction))) raw_from = store_.oldest(pw->id, Tier::raw);
  const bool raw_edges = raw_from && *raw_from <= from_ms;
  std::vector<EnergyPeriod> parts;
  const auto add = [&](Tier tier, const std::vector<std::int64_t>& edges) {
    for (auto& p : energy_parts(meter, direction, tier, edges)) parts.push_back(std::move(p));
  };
  if (inner_to <= inner_from) {
    if (raw_edges) add(Tier::raw, {from_ms, to_ms});
  } else {
    if (raw_edges && from_ms < inner_from) add(Tier::raw, {from_ms, inner_from});
    std::vector<std::int64_t> minutes;
    for (auto t = inner_from; t <= inner_to; t += kMinute) minutes.push_back(t);
    add(Tier::minute, minutes);
    if (raw_edges && inner_to < to_ms) add(Tier::raw, {inner_to, to_ms});
  }
  for (const auto& part : parts) add_into(total, part);
  finish(total);
  return total;
}

EnergyPeriod Statistics::energy_since_midnight(const std::string& meter, Direction direction, std::int64_t from_ms,
                                               std::int64_t to_ms) const {
  EnergyPeriod total{from_ms, to_ms, {}, 0, 0, 0, 0, {}};
  const auto last_midnight = std::max(from_ms, period_start(Period::day, to_ms, store_.zone()));
  if (last_midnight > from_ms)
    for (const auto& day : energy(meter, direction, Period::day, from_ms, last_midnight)) add_into(total, day);
  if (to_ms > last_midnight) add_into(total, energy_range(meter, direction, last_midnight, to_ms));
  finish(total);
  return total;
}

std::optional<double> Statistics::base_load_w(const std::string& meter, std::int64_t from_ms, std::int64_t to_ms) const {
  std::vector<double> night;
  const auto& zone = store_.zone();
  const auto keep = [&](std::int64_t t) { return seconds_to_civil(zone.utc_to_local(t / 1000)).hour < 5; };
  if (auto pw = store_.find(meter, power_quantity(Direction::import_energy))) {
    for (const auto& b : store_.buckets(pw->id, Tier::minute, from_ms, to_ms))
      if (b.count && keep(b.start_ms)) night.push_back(b.mean() * unit_factor(pw->unit));
  } else {
    for (const auto& e : energy_buckets(meter, Direction::import_energy, Tier::minute, from_ms, to_ms))
      if (e.wh && e.coverage > 0.9 && keep(e.start_ms)) night.push_back(*e.wh * 60.0);
  }
  if (night.empty()) return std::nullopt;
  // Nearest-rank 10th percentile: robust against the fridge compressor, unlike the minimum.
  const auto rank = static_cast<std::size_t>(std::ceil(0.10 * static_cast<double>(night.size()))) - 1;
  std::nth_element(night.begin(), night.begin() + static_cast<std::ptrdiff_t>(rank), night.end());
  return night[rank];
}

std::vector<Statistics::Peak> Statistics::monthly_peaks(const std::string& meter, std::int64_t from_ms,
                                                        std::int64_t to_ms) const {
  return monthly_peaks(std::vector<std::string>{meter}, from_ms, to_ms);
}

std::vector<Statistics::Peak> Statistics::monthly_peaks(const std::vector<std::string>& meters, std::int64_t from_ms,
                                                        std::int64_t to_ms) const {
  std::map<std::int64_t, double> sum;  // 15-min start -> Wh of the meters that have data then
  for (const auto& meter : meters)
    for (const auto& e : energy_buckets(meter, Direction::import_energy, Tier::quarter, from_ms, to_ms))
      if (e.wh) sum[e.start_ms] += *e.wh;
  std::vector<Peak> out;
  const auto& zone = store_.zone();
  for (const auto& [start_ms, wh] : sum) {
    const auto month = period_start(Period::month, start_ms, zone);
    const double kw = wh / 1000.0 * 4.0;
    if (out.empty() || out.back().month_start_ms != month) out.push_back(Peak{month, start_ms, kw});
    else if (kw > out.back().kw) out.back() = Peak{month, start_ms, kw};
  }
  return out;
}

EnergyPeriod Statistics::energy_total(const std::vector<std::string>& meters, Direction direction, std::int64_t from_ms,
                                      std::int64_t to_ms) const {
  EnergyPeriod total{from_ms, to_ms, {}, 0, 0, 0, 0, {}};
  for (const auto& meter : meters)
    for (const auto& day : energy(meter, direction, Period::day, from_ms, to_ms))
      if (day.start_ms >= from_ms && day.end_ms <= to_ms) add_into(total, day);
  const auto span = static_cast<double>(to_ms - from_ms) * static_cast<double>(std::max<std::size_t>(1, meters.size()));
  total.coverage = std::clamp(total.coverage / span, 0.0, 1.0);
  return total;
}

Statistics::Matrix Statistics::hour_matrix(const std::string& meter, Direction direction, std::int64_t from_ms,
                                           std::int64_t to_ms) const {
  Matrix m;
  const auto& zone = store_.zone();
  for (const auto& e : energy_buckets(meter, direction, Tier::hour, from_ms, to_ms)) {
    const auto day = period_start(Period::day, e.start_ms, zone);
    if (m.days.empty() || m.days.back() != day) {
      m.days.push_back(day);
      m.wh.emplace_back(24);
    }
    if (!e.wh) continue;
    auto& cell = m.wh.back()[static_cast<std::size_t>(seconds_to_civil(zone.utc_to_local(e.start_ms / 1000)).hour)];
    cell = cell.value_or(0) + *e.wh;
  }
  return m;
}

std::vector<VoltageBand> Statistics::voltage(const std::string& meter, std::int64_t from_ms, std::int64_t to_ms) const {
  std::vector<VoltageBand> out;
  for (const char* phase : {"l1", "l2", "l3"}) {
    auto series = store_.find(meter, std::string("voltage_") + phase);
    if (!series) continue;
    VoltageBand band;
    band.phase = phase;
    double sum = 0;
    std::uint64_t count = 0;
    for (const auto& b : store_.buckets(series->id, Tier::minute, from_ms, to_ms)) {
      if (!b.count) continue;
      band.min = std::min(band.min.value_or(b.min), b.min);
      band.max = std::max(band.max.value_or(b.max), b.max);
      sum += b.sum;
      count += b.count;
      ++band.minutes;
      if (b.min < kNominalVolts * 0.9) ++band.minutes_below;
      if (b.max > kNominalVolts * 1.1) ++band.minutes_above;
    }
    if (count) band.mean = sum / static_cast<double>(count);
    out.push_back(band);
  }
  return out;
}

Statistics::PowerFactor Statistics::power_factor(const std::string& meter, std::int64_t from_ms, std::int64_t to_ms) const {
  PowerFactor pf;
  auto series = store_.find(meter, "power_factor");
  if (!series) return pf;
  double sum = 0;
  std::uint64_t count = 0;
  for (const auto& b : store_.buckets(series->id, Tier::minute, from_ms, to_ms)) {
    if (!b.count) continue;
    pf.min = std::min(pf.min.value_or(b.min), b.min);
    sum += b.sum;
    count += b.count;
  }
  if (count) pf.mean = sum / static_cast<double>(count);
  return pf;
}

}  // namespace meterd::dashboard
