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
  double estimated_wh = 0;      // the part of energy_wh from steps across a gap
  std::int64_t covered_ms = 0;  // time spanned by those steps that were no gap
  std::int64_t gap_ms = 0;      // the gap limit these steps were judged by (0: not recorded)
  double mean() const { return count ? sum / count : 0; }
};

// Maps an instant to the start of its bucket (fixed width, or local days in a zone).
using BucketStart = std::function<std::int64_t(std::int64_t)>;
BucketStart fixed_width(std::int64_t width_ms);

struct SeriesAccounting {
  SeriesKind kind = SeriesKind::measurement;
  double factor = 1;
  AccountingRules rules;
  bool adaptive_gap = false;  // rules.max_gap_ms follows the series' cadence
};

// Points sorted by time -> buckets sorted by start.
std::vector<Bucket> build_buckets(const std::vector<Point>& points, const BucketStart& bucket_start,
                                  const SeriesAccounting& accounting);
// The same for fixed-width buckets, appended to `out`: the path a week at 1 min takes through
// 168 hours of raw points per series, without a call through BucketStart per point.
void append_fixed_buckets(const std::vector<Point>& points, std::int64_t width_ms, const SeriesAccounting& accounting,
                          std::vector<Bucket>& out);
// Finer buckets sorted by start -> coarser ones; steps between children of one parent count.
std::vector<Bucket> combine_buckets(const std::vector<Bucket>& children, const BucketStart& bucket_start,
                                    const SeriesAccounting& accounting);
// One step between two samples: its energy to an accumulator (inside a bucket).
void add_step(Bucket& into, const Point& from, const Point& to, const SeriesAccounting& accounting);

}  // namespace meterd::dashboard
