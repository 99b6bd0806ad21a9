#pragma once
// Rate limit for a recurring fault (disk full, unwritable folder): the first occurrence is
// reported at once, later ones at most once per interval with the count since the last
// report, so an outage stays visible without one log line per reading.
#include <chrono>
#include <cstdint>
#include <optional>

namespace meterd {

class DiagnosticThrottle {
 public:
  explicit DiagnosticThrottle(std::chrono::steady_clock::duration interval = std::chrono::seconds(60))
      : interval_(interval) {}

  // Counts one occurrence; returns how many to report now (this one included), or nothing.
  std::optional<std::uint64_t> occurred() {
    ++unreported_;
    const auto now = std::chrono::steady_clock::now();
    if (active_ && now - last_report_ < interval_) return std::nullopt;
    active_ = true;
    last_report_ = now;
    const auto count = unreported_;
    unreported_ = 0;
    return count;
  }
  // The fault is over; true when it had been reported (so its end is worth a word too).
  bool cleared() {
    const bool was = active_;
    active_ = false;
    unreported_ = 0;
    return was;
  }
  bool active() const { return active_; }

 private:
  std::chrono::steady_clock::duration interval_;
  std::chrono::steady_clock::time_point last_report_{};
  std::uint64_t unreported_ = 0;
  bool active_ = false;
};

}  // namespace meterd
