#pragma once
// Notices a line that delivers nothing at all (adapter on the wrong terminals, interface not
// activated by the grid operator, gateway up but meter side dead) and says so once per period
// rather than once per read.
#include <chrono>
#include <optional>

namespace meterd::meter_source {

class SilenceMonitor {
 public:
  using Clock = std::chrono::steady_clock;
  // `timeout` zero disables the monitor.
  explicit SilenceMonitor(Clock::duration timeout) : timeout_(timeout) {}

  void restart(Clock::time_point now) { last_byte_ = last_report_ = now; }
  void bytes_arrived(Clock::time_point now) { last_byte_ = last_report_ = now; }
  // How long the line has been silent, when a report is due now.
  std::optional<Clock::duration> report_due(Clock::time_point now);
  // When the next report would be due if nothing arrives; none while disabled.
  std::optional<Clock::time_point> next_due() const {
    if (timeout_ == Clock::duration::zero()) return std::nullopt;
    return last_report_ + timeout_;
  }

 private:
  Clock::duration timeout_;
  Clock::time_point last_byte_{}, last_report_{};
};

}  // namespace meterd::meter_source
