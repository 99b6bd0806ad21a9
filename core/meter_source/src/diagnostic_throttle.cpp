#include "meterd/meter_source/diagnostic_throttle.hpp"

namespace meterd::meter_source {

std::optional<std::uint64_t> DiagnosticThrottle::admit(const std::string& code, Clock::time_point now) {
  auto [it, inserted] = windows_.try_emplace(code);
  Window& w = it->second;
  if (inserted || now - w.start >= interval_) {
    w.start = now;
    w.passed = 0;  // held_back carries over so the next report that passes can mention it
  }
  if (w.passed < burst_) {
    ++w.passed;
    const std::uint64_t held = w.held_back;
    w.held_back = 0;
    return held;
  }
  ++w.held_back;
  ++held_back_total_;
  return std::nullopt;
}

}  // namespace meterd::meter_source
