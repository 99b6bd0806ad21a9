#include "energy_step.hpp"

#include <cmath>

namespace meterd::dashboard {

namespace {
double hours_between(const Point& a, const Point& b) { return static_cast<double>(b.t_ms - a.t_ms) / 3.6e6; }

// A register that wraps at a power of ten (99999.9 -> 0.1): the previous value sits in the
// top tenth of its decade.
std::optional<double> rollover_delta(double previous, double current) {
  if (previous <= 0) return std::nullopt;
  const double modulus = std::pow(10.0, std::ceil(std::log10(previous + 1e-9)));
  if (previous < 0.9 * modulus || current < 0) return std::nullopt;
  return modulus - previous + current;
}
}  // namespace

StepEnergy step_energy(SeriesKind kind, const Point& previous, const Point& current, double factor,
                       const AccountingRules& rules) {
  StepEnergy out;
  const auto dt_ms = current.t_ms - previous.t_ms;
  if (dt_ms <= 0) return out;
  out.gap = dt_ms > rules.max_gap_ms;
  const double limit_wh = rules.max_power_w * hours_between(previous, current);
  if (kind == SeriesKind::power) {
    if (!out.gap) out.wh = (previous.value + current.value) / 2.0 * factor * hours_between(previous, current);
    return out;
  }
  if (kind != SeriesKind::register_total) return out;
  const double delta = (current.value - previous.value) * factor;
  if (delta >= 0) {
    if (delta <= limit_wh) out.wh = delta;  // larger: swapped to a meter with a higher reading
    return out;
  }
  if (auto wrapped = rollover_delta(previous.value, current.value); wrapped && *wrapped * factor <= limit_wh) {
    out.wh = *wrapped * factor;
    return out;
  }
  // A counter restarted from zero (reset, new meter starting at 0): what it shows now was
  // consumed since. A new meter starting at an arbitrary reading leaves this step unknown.
  if (current.value * factor <= limit_wh) out.wh = current.value * factor;
  return out;
}

std::optional<double> energy_within_bucket(SeriesKind kind, const Point& previous, const Point& current,
                                           double factor, const AccountingRules& rules) {
  auto step = step_energy(kind, previous, current, factor, rules);
  return step.wh;
}

std::optional<double> energy_across_buckets(SeriesKind kind, const Point& previous, const Point& current,
                                            double factor, const AccountingRules& rules) {
  auto step = step_energy(kind, previous, current, factor, rules);
  if (step.gap) return std::nullopt;
  return step.wh;
}

}  // namespace meterd::dashboard
