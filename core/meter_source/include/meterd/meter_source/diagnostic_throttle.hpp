#pragma once
// Keeps a stream of garbage from flooding logs and the bus: per diagnostic code, a burst of
// reports passes in each interval, later ones are only counted, and the next report that
// passes says how many were held back.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace meterd::meter_source {

class DiagnosticThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  DiagnosticThrottle(unsigned burst, Clock::duration interval) : burst_(burst), interval_(interval) {}

  // Empty when this report is to be held back; otherwise how many reports of `code` were held
  // back since the last one passed (0 usually).
  std::optional<std::uint64_t> admit(const std::string& code, Clock::time_point now);
  std::uint64_t held_back_total() const { return held_back_total_; }

 private:
  struct Window {
    Clock::time_point start;
    unsigned passed = 0;
    std::uint64_t held_back = 0;
  };
  unsigned burst_;
  Clock::duration interval_;
  std::map<std::string, Window> windows_;
  std::uint64_t held_back_total_ = 0;
};

}  // namespace meterd::meter_source
