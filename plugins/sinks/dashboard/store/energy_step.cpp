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

RegisterDrop classify_drop(double previous, double current) {
  if (current >= previous) return RegisterDrop::none;
  if (auto wrapped = rollover_delta(previous, current); wrapped && current < 0.1 * previous) return RegisterDrop::rollover;
  if (current >= 0 && current <= 0.1 * previous) return RegisterDrop::reset;
  // A drop of more than 1 % is another meter; less is the same register stepping back.
  if (previous - current > 0.01 * std::fabs(previous)) return RegisterDrop::swap;
  return RegisterDrop::backwards;
}

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
  std::optional<double> wh;
  switch (classify_drop(previous.value, current.value)) {
    case RegisterDrop::none: wh = delta; break;  // a jump beyond the limit: swapped to a higher reading
    case RegisterDrop::rollover: wh = *rollover_delta(previous.value, current.value) * factor; break;
    // Restarted from zero (reset, new meter starting at 0): what it shows now was used since.
    case RegisterDrop::reset: wh = current.value * factor; break;
    case RegisterDrop::swap: break;  // a new meter at an arbitrary reading: this step is unknown
    case RegisterDrop::backwards: wh = 0; break;
  }
  if (wh && *wh <= limit_wh) out.wh = wh;
  return out;
}

}  // namespace meterd::dashboard
