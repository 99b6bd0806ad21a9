#include "meterd/meter_source/silence_monitor.hpp"

namespace meterd::meter_source {

std::optional<SilenceMonitor::Clock::duration> SilenceMonitor::report_due(Clock::time_point now) {
  if (timeout_ == Clock::duration::zero() || now - last_report_ < timeout_) return std::nullopt;
  last_report_ = now;
  return now - last_byte_;
}

}  // namespace meterd::meter_source
