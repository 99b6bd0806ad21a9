#pragma once
// Delays between reconnect attempts: short at first (a replugged adapter is back within a
// second), doubling up to a ceiling so a meter that is gone for hours costs nothing, and back
// to short as soon as data flows again.
#include <chrono>

namespace meterd::transport {

class ReconnectBackoff {
 public:
  // Throws std::invalid_argument unless 0 < initial <= maximum and factor >= 1.
  ReconnectBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum, double factor = 2.0);

  // The wait before the next attempt; each call grows the following one.
  std::chrono::milliseconds next();
  // Call once a connection delivered data: the next failure waits `initial` again.
  void reset();
  unsigned failures() const { return failures_; }

 private:
  std::chrono::milliseconds initial_, maximum_, current_;
  double factor_;
  unsigned failures_ = 0;
};

}  // namespace meterd::transport
