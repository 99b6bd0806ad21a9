#pragma once
// Latest values per meter and the fan-out of every reading to open event streams, each
// subscriber filtered to the meters it may see.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "meterd/http/event_stream.hpp"

namespace meterd::dashboard {

struct LiveValue {
  std::string quantity;
  double value = 0;
  std::string unit;
  std::int64_t time_ms = 0;  // when measured; 0: the reading's time
};

class LiveFeed {
 public:
  using Filter = std::function<bool(const std::string& meter)>;
  void subscribe(std::shared_ptr<http::EventStream> stream, Filter filter);
  // Remembered as the meter's latest values (a value older than the one remembered, e.g. from
  // a history backfill, does not replace it) and pushed to subscribers as
  // {"meter", "time_ms", "interval_ms", "values": {quantity: {"value", "unit", "time_ms"}}}.
  void publish(const std::string& meter, std::int64_t time_ms, const std::vector<LiveValue>& values);
  // {quantity: {"value", "unit", "time_ms"}, ..., "time_ms": newest, "interval_ms"}; empty
  // before the first reading. interval_ms is the meter's usual time between pushes (0: unknown).
  nlohmann::json latest(const std::string& meter) const;
  std::size_t subscribers() const;

 private:
  struct Subscriber {
    std::shared_ptr<http::EventStream> stream;
    Filter filter;
  };
  mutable std::mutex mutex_;
  std::vector<Subscriber> subscribers_;
  struct Value {
    double value = 0;
    std::string unit;
    std::int64_t time_ms = 0;
  };
  struct Latest {
    std::int64_t time_ms = 0;
    std::vector<std::int64_t> steps;  // the last few times between pushes, for interval_ms
    std::map<std::string, Value, std::less<>> values;
    std::int64_t interval_ms() const;
  };
  std::map<std::string, Latest, std::less<>> latest_;
};

}  // namespace meterd::dashboard
