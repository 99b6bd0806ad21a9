#pragma once
// Energy between two consecutive samples of one series, the single rule behind every energy
// figure: register differences with rollover, reset and meter-swap handling; trapezoidal
// integration of power. How a step's energy is split over periods is period_energy's part.
#include <optional>

#include "point.hpp"
#include "series_kind.hpp"

namespace meterd::dashboard {

struct StepEnergy {
  std::optional<double> wh;  // empty: unknown (gap for power, meter swap for a register)
  bool gap = false;          // the samples are further apart than max_gap_ms: `wh` is an estimate
};

// `factor` converts the series unit to Wh (registers) or W (power).
StepEnergy step_energy(SeriesKind kind, const Point& previous, const Point& current, double factor,
                       const AccountingRules& rules);

// What a register step going down means.
enum class RegisterDrop { none, rollover, reset, swap, backwards };
// A reset lands near zero, a rollover wraps from the top of a decade, a swapped meter shows
// a reading far from the old one; anything else going down is the register stepping back
// (a glitch, or readings of two meters mixed up), which is no energy at all.
RegisterDrop classify_drop(double previous, double current);

}  // namespace meterd::dashboard
