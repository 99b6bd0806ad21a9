#pragma once
// Energy between two consecutive samples of one series, the single rule behind every energy
// figure: register differences with rollover, reset and meter-swap handling; trapezoidal
// integration of power; nothing across a gap unless the caller's bucket contains all of it.
#include <optional>

#include "point.hpp"
#include "series_kind.hpp"

namespace meterd::dashboard {

struct StepEnergy {
  std::optional<double> wh;  // empty: unknown (gap for power, meter swap for a register)
  bool gap = false;          // the samples are further apart than max_gap_ms
};

// `factor` converts the series unit to Wh (registers) or W (power).
StepEnergy step_energy(SeriesKind kind, const Point& previous, const Point& current, double factor,
                       const AccountingRules& rules);

// Energy of a step as counted inside a bucket that holds both samples: registers count
// across gaps (the whole gap lies in the bucket), power does not.
std::optional<double> energy_within_bucket(SeriesKind kind, const Point& previous, const Point& current,
                                           double factor, const AccountingRules& rules);
// Energy of a step whose samples lie in different buckets, credited to the later bucket only
// when it is no gap; otherwise it stays missing.
std::optional<double> energy_across_buckets(SeriesKind kind, const Point& previous, const Point& current,
                                            double factor, const AccountingRules& rules);

}  // namespace meterd::dashboard
