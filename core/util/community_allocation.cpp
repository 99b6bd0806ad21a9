#include "meterd/community_allocation.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

#include "meterd/largest_remainder.hpp"

namespace meterd {
namespace {

std::int64_t sum(const std::vector<std::int64_t>& v) { return std::accumulate(v.begin(), v.end(), std::int64_t{0}); }

// `total` split over `weights` in proportion, each part at most its cap.
std::vector<std::int64_t> proportional(std::int64_t total, const std::vector<std::int64_t>& weights,
                                       const std::vector<std::int64_t>& caps) {
  const auto all = sum(weights);
  std::vector<double> quotas(weights.size(), 0.0);
  if (all > 0)
    for (std::size_t i = 0; i < weights.size(); ++i)
      quotas[i] = static_cast<double>(total) * static_cast<double>(weights[i]) / static_cast<double>(all);
  return apportion(total, quotas, caps);
}

// Fixed shares: each gets its share of `total`; a consumer whose share exceeds its need is
// filled and leaves, the rest is shared again among the others (water filling).
std::vector<std::int64_t> by_shares(std::int64_t total, const std::vector<std::int64_t>& need,
                                    const std::vector<double>& shares) {
  const auto n = need.size();
  std::vector<double> quota(n, 0.0);
  std::vector<bool> open(n);
  for (std::size_t i = 0; i < n; ++i) open[i] = need[i] > 0;
  double left = static_cast<double>(total);
  for (bool filled = true; filled && left > 0;) {
    filled = false;
    double weight = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (open[i]) weight += std::max(shares[i], 0.0);
    if (weight <= 0) break;
    for (std::size_t i = 0; i < n; ++i) {
      if (!open[i]) continue;
      const double room = static_cast<double>(need[i]) - quota[i];
      if (room <= left * std::max(shares[i], 0.0) / weight) {
        quota[i] = static_cast<double>(need[i]), left -= room, open[i] = false, filled = true;
      }
    }
    if (!filled)
      for (std::size_t i = 0; i < n; ++i)
        if (open[i]) quota[i] += left * std::max(shares[i], 0.0) / weight;
  }
  return apportion(total, quota, need);
}

// Priority: ranks in ascending order (0, no rank, last); each rank takes what it needs of
// what is left, shared within the rank in proportion to consumption.
std::vector<std::int64_t> by_priority(std::int64_t total, const std::vector<std::int64_t>& need,
                                      const std::vector<int>& ranks) {
  std::map<long, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < need.size(); ++i) {
    const int r = ranks[i];
    groups[r > 0 ? r : 1L << 40].push_back(i);
  }
  std::vector<std::int64_t> out(need.size(), 0);
  for (const auto& [rank, members] : groups) {
    std::vector<std::int64_t> w;
    for (const auto i : members) w.push_back(need[i]);
    const auto give = std::min(total, sum(w));
    const auto parts = proportional(give, w, w);
    for (std::size_t k = 0; k < members.size(); ++k) out[members[k]] = parts[k];
    total -= give;
  }
  return out;
}

}  // namespace

IntervalAllocation allocate_interval(const std::vector<std::int64_t>& consumption,
                                     const std::vector<std::int64_t>& production, const AllocationKey& key) {
  const auto n = consumption.size();
  if (production.size() != n) throw std::invalid_argument("allocate_interval: one production per participant");
  if (std::any_of(consumption.begin(), consumption.end(), [](auto v) { return v < 0; }) ||
      std::any_of(production.begin(), production.end(), [](auto v) { return v < 0; }))
    throw std::invalid_argument("allocate_interval: energies are not negative");
  IntervalAllocation a;
  a.production_wh = sum(production);
  a.consumption_wh = sum(consumption);
  a.local_wh = std::min(a.production_wh, a.consumption_wh);
  switch (key.rule) {
    case AllocationRule::proportional: a.allocated_wh = proportional(a.local_wh, consumption, consumption); break;
    case AllocationRule::shares:
      if (key.shares.size() != n) throw std::invalid_argument("allocate_interval: one share per participant");
      a.allocated_wh = by_shares(a.local_wh, consumption, key.shares);
      break;
    case AllocationRule::priority:
      if (key.ranks.size() != n) throw std::invalid_argument("allocate_interval: one rank per participant");
      a.allocated_wh = by_priority(a.local_wh, consumption, key.ranks);
      break;
  }
  a.sold_wh = proportional(a.local_wh, production, production);
  a.grid_draw_wh.resize(n);
  a.fed_in_per_wh.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    a.grid_draw_wh[i] = consumption[i] - a.allocated_wh[i];
    a.fed_in_per_wh[i] = production[i] - a.sold_wh[i];
  }
  a.grid_wh = a.consumption_wh - a.local_wh;
  a.fed_in_wh = a.production_wh - a.local_wh;
  return a;
}

}  // namespace meterd
