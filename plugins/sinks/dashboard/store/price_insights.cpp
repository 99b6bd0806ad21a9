#include "price_insights.hpp"

#include <algorithm>
#include <map>

namespace meterd::dashboard {

namespace {
constexpr std::int64_t kQuarterMs = 900'000;
constexpr std::int64_t kLookAheadMs = 3 * 86'400'000LL;
}  // namespace

std::vector<HourPrice> hourly_prices(const Statistics& stats, std::int64_t from_ms, std::int64_t to_ms) {
  const auto& prices = stats.prices();
  const auto& zone = stats.zone();
  const auto table = stats.dynamic_prices(from_ms, to_ms);
  std::vector<HourPrice> out;
  const auto edges = period_edges(Period::hour, from_ms, to_ms, zone);
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    double sum = 0;
    int quarters = 0, dynamic = 0;
    for (auto q = edges[i]; q < edges[i + 1]; q += kQuarterMs, ++quarters) {
      const auto spot = prices.dynamic_meter.empty() ? std::nullopt : table.at(q);
      sum += spot ? *spot : prices.price_at(q, zone);
      dynamic += spot ? 1 : 0;
    }
    out.push_back({edges[i], quarters ? sum / quarters : 0, quarters > 0 && dynamic == quarters});
  }
  return out;
}

PaidVsMarket paid_vs_market(const Statistics& stats, const std::string& meter, std::int64_t from_ms, std::int64_t to_ms) {
  PaidVsMarket out;
  for (const auto& day : stats.energy(meter, Direction::import_energy, Period::day, from_ms, to_ms)) {
    if (!day.wh || day.start_ms < from_ms || day.end_ms > to_ms) continue;
    out.wh += *day.wh;
    out.cost += day.cost;
    out.energy_cost += day.energy_cost;
  }
  if (stats.prices().dynamic_meter.empty()) return out;
  const auto table = stats.dynamic_prices(from_ms, to_ms);
  double sum = 0;
  for (auto q = from_ms; q < to_ms; q += kQuarterMs)
    if (const auto spot = table.at(q)) {
      sum += *spot;
      ++out.market_quarters;
    }
  if (out.market_quarters) out.market_per_kwh = sum / static_cast<double>(out.market_quarters);
  return out;
}

ShiftEstimate shift_to_cheapest_hours(const Statistics& stats, const std::string& meter, std::int64_t from_ms,
                                      std::int64_t to_ms) {
  ShiftEstimate out;
  const auto& zone = stats.zone();
  const auto hours = stats.energy(meter, Direction::import_energy, Period::hour, from_ms, to_ms);
  const auto prices = hourly_prices(stats, from_ms, to_ms);
  std::map<std::int64_t, std::pair<double, std::vector<double>>> days;  // day -> (Wh, hour prices)
  std::map<std::int64_t, int> ran;                                       // day -> hours with energy
  for (std::size_t i = 0; i < hours.size() && i < prices.size(); ++i) {
    const auto day = period_start(Period::day, hours[i].start_ms, zone);
    auto& d = days[day];
    d.second.push_back(prices[i].per_kwh);
    if (!hours[i].wh || *hours[i].wh <= 0) continue;
    d.first += *hours[i].wh;
    out.actual += hours[i].energy_cost;
    ++ran[day];
  }
  for (auto& [day, d] : days) {
    if (d.first <= 0) continue;
    auto& p = d.second;
    const auto n = static_cast<std::size_t>(std::min<int>(ran[day], static_cast<int>(p.size())));
    std::partial_sort(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(n), p.end());
    double mean = 0;
    for (std::size_t i = 0; i < n; ++i) mean += p[i];
    out.shifted += d.first / 1000.0 * mean / static_cast<double>(n);
    out.wh += d.first;
    ++out.days;
  }
  return out;
}

std::optional<std::int64_t> newest_dynamic_price(const Statistics& stats, std::int64_t now_ms) {
  const auto table = stats.dynamic_prices(now_ms - kLookAheadMs, now_ms + kLookAheadMs);
  if (table.points.empty()) return std::nullopt;
  return table.points.back().start_ms;
}

}  // namespace meterd::dashboard
