#pragma once
// Energy per period from rollup buckets (or raw points, each a bucket of one sample): the
// energy of [a, b) is R(b) - R(a), R the register linearly interpolated between consecutive
// samples. A bucket's own steps stay in its period; the step from one non-empty bucket's last
// sample to the next one's first is split over the periods it crosses in proportion to the
// time it spends in each, however many empty buckets lie between.
#include <cstdint>
#include <vector>

#include "bucket.hpp"

namespace meterd::dashboard {

struct PeriodEnergy {
  double wh = 0;
  double estimated_wh = 0;      // the part of wh spread over a gap
  std::int64_t covered_ms = 0;  // time covered by measured steps (no gap, energy known)
  bool known = false;           // some known energy touches the period
};

// `edges`: period starts followed by the end of the last, each on a bucket boundary.
// `buckets`: sorted, non-empty; may include the nearest bucket before edges.front() and after
// edges.back(), whose steps into the range count too.
std::vector<PeriodEnergy> energy_per_period(const std::vector<Bucket>& buckets, const std::vector<std::int64_t>& edges,
                                            const SeriesAccounting& accounting);

}  // namespace meterd::dashboard
