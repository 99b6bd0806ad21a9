#include "live_feed.hpp"

#include <algorithm>

namespace meterd::dashboard {

LiveFeed::LiveFeed(std::size_t max_streams_per_scope, std::chrono::milliseconds sweep_interval)
    : max_per_scope_(max_streams_per_scope), sweep_interval_(sweep_interval), sweeper_([this] { sweep_loop(); }) {}

LiveFeed::~LiveFeed() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  sweeper_.join();
}

bool LiveFeed::subscribe(std::shared_ptr<http::EventStream> stream, Filter filter, std::string scope,
                         StillAllowed still_allowed) {
  std::lock_guard lock(mutex_);
  std::erase_if(subscribers_, [](const Subscriber& s) { return s.stream->closed(); });
  const auto open = std::count_if(subscribers_.begin(), subscribers_.end(),
                                  [&](const Subscriber& s) { return s.scope == scope; });
  if (static_cast<std::size_t>(open) >= max_per_scope_) return false;
  subscribers_.push_back({std::move(stream), std::move(filter), std::move(scope), std::move(still_allowed)});
  return true;
}

namespace {
constexpr std::size_t kSteps = 7;
}

std::int64_t LiveFeed::Latest::interval_ms() const {
  if (steps.empty()) return 0;
  // The median: one late push or a burst of backfilled history does not move it.
  auto sorted = steps;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
  return sorted[sorted.size() / 2];
}

void LiveFeed::publish(const std::string& meter, std::int64_t time_ms, const std::vector<LiveValue>& values) {
  std::lock_guard lock(mutex_);
  auto& latest = latest_[meter];
  if (time_ms > latest.time_ms) {
    if (latest.time_ms > 0) {
      latest.steps.push_back(time_ms - latest.time_ms);
      if (latest.steps.size() > kSteps) latest.steps.erase(latest.steps.begin());
    }
    latest.time_ms = time_ms;
  }
  for (const auto& v : values) {
    const auto at = v.time_ms ? v.time_ms : time_ms;
    auto& kept = latest.values[v.quantity];
    if (at >= kept.time_ms) kept = Value{v.value, v.unit, at};
  }
  // Serialised only for someone watching: a history backfill runs with nobody connected.
  if (subscribers_.empty()) return;
  nlohmann::json reading{{"meter", meter}, {"time_ms", time_ms}, {"interval_ms", latest.interval_ms()},
                         {"values", nlohmann::json::object()}};
  for (const auto& v : values)
    reading["values"][v.quantity] = {{"value", v.value}, {"unit", v.unit}, {"time_ms", v.time_ms ? v.time_ms : time_ms}};
  const auto text = reading.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::erase_if(subscribers_, [&](const Subscriber& s) {
    if (!s.filter(meter, time_ms)) return s.stream->closed();
    return !s.stream->send("reading", text);
  });
}

nlohmann::json LiveFeed::latest(const std::string& meter) const {
  std::lock_guard lock(mutex_);
  auto it = latest_.find(meter);
  if (it == latest_.end()) return nlohmann::json::object();
  nlohmann::json out{{"time_ms", it->second.time_ms}, {"interval_ms", it->second.interval_ms()}};
  for (const auto& [quantity, v] : it->second.values)
    out[quantity] = {{"value", v.value}, {"unit", v.unit}, {"time_ms", v.time_ms}};
  return out;
}

std::size_t LiveFeed::subscribers() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

// The scope checks may touch the access store, so they run without the feed's lock; a stream
// found no longer allowed is closed first (nothing more is queued to a closed stream), then dropped.
void LiveFeed::sweep() {
  std::lock_guard one(sweep_mutex_);
  std::vector<Subscriber> current;
  {
    std::lock_guard lock(mutex_);
    current = subscribers_;
  }
  bool closed_any = false;
  for (const auto& s : current) {
    if (s.stream->closed()) continue;
    bool allowed = false;
    try {
      allowed = s.still_allowed();
    } catch (const std::exception&) {
      allowed = false;  // when in doubt, stop delivering
    }
    if (!allowed) {
      s.stream->close();
      closed_any = true;
    }
  }
  if (!closed_any) return;
  std::lock_guard lock(mutex_);
  std::erase_if(subscribers_, [](const Subscriber& s) { return s.stream->closed(); });
}

void LiveFeed::close_all() {
  std::lock_guard one(sweep_mutex_);
  std::lock_guard lock(mutex_);
  for (const auto& s : subscribers_) s.stream->close();
  subscribers_.clear();
}

void LiveFeed::sweep_loop() {
  std::unique_lock lock(stop_mutex_);
  while (!stop_cv_.wait_for(lock, sweep_interval_, [this] { return stopping_; })) {
    lock.unlock();
    sweep();
    lock.lock();
  }
}

}  // namespace meterd::dashboard
