#pragma once
// The latest value of every series per meter, as the sink thread sees readings, for the HTTP
// thread to render. A series not refreshed within the staleness time is removed rather than
// repeated, so a silent meter disappears from Prometheus instead of looking frozen at its
// last value. All members may be called from any thread.
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "exposition.hpp"
#include "meterd/v1/bus.pb.h"

namespace meterd::prometheus {

class MeterTable {
 public:
  using Clock = std::chrono::steady_clock;

  explicit MeterTable(std::chrono::duration<double> staleness) : staleness_(staleness) {}

  // Takes the reading's latest values. Returns false when it had none (text or interval data
  // only), in which case the meter's age is not touched either.
  bool update(const v1::Reading& reading, Clock::time_point now);
  // Drops what went stale, then adds every remaining series and meterd_last_reading_age_seconds.
  void append_to(FamilySet& out, Clock::time_point now);
  std::size_t meter_count() const;

 private:
  struct Series {
    MetricType type;
    std::string_view help;
    double value;
    Clock::time_point seen;
  };
  struct Meter {
    Clock::time_point last_seen;
    // (metric name, formatted labels) -> latest sample; the labels include the meter.
    std::map<std::pair<std::string_view, std::string>, Series> series;
  };
  bool stale(Clock::time_point seen, Clock::time_point now) const { return now - seen > staleness_; }

  const std::chrono::duration<double> staleness_;
  mutable std::mutex mutex_;
  std::map<std::string, Meter, std::less<>> meters_;
};

}  // namespace meterd::prometheus
