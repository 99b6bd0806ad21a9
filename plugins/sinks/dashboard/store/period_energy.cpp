#include "period_energy.hpp"

#include <algorithm>

#include "energy_step.hpp"

namespace meterd::dashboard {

namespace {
// Index of the period containing t, or npos outside [front, back). Buckets come in order, so
// the period is nearly always `hint` (the one found last) or the next: a week at 1 min has
// 10,080 periods, and a binary search for each bucket and step was a tenth of the query.
std::size_t period_of(const std::vector<std::int64_t>& edges, std::int64_t t, std::size_t hint = 0) {
  if (edges.size() < 2 || t < edges.front() || t >= edges.back()) return static_cast<std::size_t>(-1);
  if (hint + 1 >= edges.size() || edges[hint] > t) hint = 0;
  for (int near = 0; near < 2 && hint + 1 < edges.size(); ++near, ++hint)
    if (edges[hint + 1] > t) return hint;
  return static_cast<std::size_t>(std::upper_bound(edges.begin() + static_cast<std::ptrdiff_t>(hint), edges.end(), t) - edges.begin()) - 1;
}

// A step between buckets is judged by the larger gap limit its two ends were written with
// (a 15-min history next to 5-s live data keeps its own cadence), unless the limit is fixed.
SeriesAccounting between(const Bucket& a, const Bucket& b, SeriesAccounting accounting) {
  if (accounting.adaptive_gap && (a.gap_ms > 0 || b.gap_ms > 0)) accounting.rules.max_gap_ms = std::max(a.gap_ms, b.gap_ms);
  return accounting;
}

void spread(std::vector<PeriodEnergy>& out, const std::vector<std::int64_t>& edges, const Point& from, const Point& to,
            const SeriesAccounting& a, std::size_t hint) {
  const auto step = step_energy(a.kind, from, to, a.factor, a.rules);
  if (!step.wh || to.t_ms <= edges.front() || from.t_ms >= edges.back()) return;
  const double span = static_cast<double>(to.t_ms - from.t_ms);
  auto i = from.t_ms < edges.front() ? 0 : period_of(edges, from.t_ms, hint);
  for (; i + 1 < edges.size() && edges[i] < to.t_ms; ++i) {
    const auto overlap = std::min(edges[i + 1], to.t_ms) - std::max(edges[i], from.t_ms);
    if (overlap <= 0) continue;
    auto& p = out[i];
    const double wh = *step.wh * static_cast<double>(overlap) / span;
    p.wh += wh;
    p.known = true;
    if (step.gap) p.estimated_wh += wh;
    else p.covered_ms += overlap;
  }
}
}  // namespace

std::vector<PeriodEnergy> energy_per_period(const std::vector<Bucket>& buckets, const std::vector<std::int64_t>& edges,
                                            const SeriesAccounting& a) {
  std::vector<PeriodEnergy> out(edges.size() > 1 ? edges.size() - 1 : 0);
  if (out.empty()) return out;
  const Bucket* previous = nullptr;
  std::size_t hint = 0;
  for (const auto& b : buckets) {
    if (b.count == 0) continue;
    const auto before = hint;
    if (const auto i = period_of(edges, b.start_ms, hint); i < out.size()) {
      hint = i;
      auto& p = out[i];
      p.wh += b.energy_wh;
      p.estimated_wh += b.estimated_wh;
      p.covered_ms += b.covered_ms;
      // One sample alone tells no energy.
      p.known = p.known || b.covered_ms > 0 || b.energy_wh != 0 || b.estimated_wh != 0;
    }
    if (previous) spread(out, edges, {previous->last_ms, previous->last}, {b.first_ms, b.first}, between(*previous, b, a), before);
    previous = &b;
  }
  return out;
}

}  // namespace meterd::dashboard
