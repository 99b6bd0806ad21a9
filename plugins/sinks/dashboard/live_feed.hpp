#pragma once
// Latest values per meter and the fan-out of every reading to open event streams, each
// subscriber filtered to the meters it may see. Each stream belongs to a scope (a share link
// or an admin session) with a cap on its open streams, and is closed as soon as its scope
// says it may no longer read: checked on every sweep (at least once a second while streams
// are open) and at once when a share is revoked or a session ends.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
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
  // Whether a reading of `meter` taken at `time_ms` may go to this subscriber.
  using Filter = std::function<bool(const std::string& meter, std::int64_t time_ms)>;
  using StillAllowed = std::function<bool()>;

  explicit LiveFeed(std::size_t max_streams_per_scope = 4,
                    std::chrono::milliseconds sweep_interval = std::chrono::milliseconds(500));
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // False (and nothing subscribed) when `scope` already holds its cap of open streams.
  bool subscribe(std::shared_ptr<http::EventStream> stream, Filter filter, std::string scope,
                 StillAllowed still_allowed);
  // Remembered as the meter's latest values (a value older than the one remembered, e.g. from
  // a history backfill, does not replace it) and pushed to subscribers as
  // {"meter", "time_ms", "interval_ms", "values": {quantity: {"value", "unit", "time_ms"}}}.
  void publish(const std::string& meter, std::int64_t time_ms, const std::vector<LiveValue>& values);
  // {quantity: {"value", "unit", "time_ms"}, ..., "time_ms": newest, "interval_ms"}; empty
  // before the first reading. interval_ms is the meter's usual time between pushes (0: unknown).
  nlohmann::json latest(const std::string& meter) const;
  std::size_t subscribers() const;
  // Closes every stream whose scope no longer allows it; call after a revocation or logout.
  void sweep();
  // Closes and forgets every stream, waiting for a sweep under way: after it no scope check
  // runs again, so whatever the checks refer to may go.
  void close_all();

 private:
  struct Subscriber {
    std::shared_ptr<http::EventStream> stream;
    Filter filter;
    std::string scope;
    StillAllowed still_allowed;
  };
  void sweep_loop();

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
  std::size_t max_per_scope_;
  std::chrono::milliseconds sweep_interval_;
  std::mutex sweep_mutex_;  // one sweep at a time
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread sweeper_;
};

}  // namespace meterd::dashboard
