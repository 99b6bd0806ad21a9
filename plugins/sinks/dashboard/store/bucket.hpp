#pragma once
// A rollup bucket: statistics of one series over [start_ms, next bucket). Enough to combine
// buckets into coarser ones exactly (sum and count, not mean; first and last sample for the
// energy of steps between buckets).
#include <cstdint>
#include <functional>
#include <vector>

#include "point.hpp"
#include "series_kind.hpp"

namespace meterd::dashboard {

struct Bucket {
  std::int64_t start_ms = 0;
  std::uint32_t count = 0;
  double min = 0, max = 0, sum = 0;
  double first = 0, last = 0;
  std::int64_t first_ms = 0, last_ms = 0;
  double energy_wh = 0;         // steps between samples inside this bucket
  std::int64_t covered_ms = 0;  // time spanned by those steps that were no gap
  double mean() const { return count ? sum / count : 0; }
};

// Maps an instant to the start of its bucket (fixed width, or local days in a zone).
using BucketStart = std::function<std::int64_t(std::int64_t)>;
BucketStart fixed_width(std::int64_t width_ms);

struct SeriesAccounting {
  SeriesKind kind = SeriesKind::measurement;
  double factor = 1;
  AccountingRules rules;
};

// Points sorted by time -> buckets sorted by start.
std::vector<Bucket> build_buckets(const std::vector<Point>& points, const BucketStart& bucket_start,
                                  const SeriesAccounting& accounting);
// Finer buckets sorted by start -> coarser ones; steps between children of one parent count.
std::vector<Bucket> combine_buckets(const std::vector<Bucket>& children, const BucketStart& bucket_start,
                                    const SeriesAccounting& accounting);
// Credits the step from the previous bucket's last sample to each bucket's first, when it is
// no gap. `before` is the bucket preceding the first one, if known.
void add_steps_between(std::vector<Bucket>& buckets, const Bucket* before, const SeriesAccounting& accounting);

}  // namespace meterd::dashboard
