#include "live_feed.hpp"

namespace meterd::dashboard {

void LiveFeed::subscribe(std::shared_ptr<http::EventStream> stream, Filter filter) {
  std::lock_guard lock(mutex_);
  subscribers_.push_back({std::move(stream), std::move(filter)});
}

void LiveFeed::publish(const std::string& meter, const nlohmann::json& reading) {
  std::lock_guard lock(mutex_);
  auto& latest = latest_[meter];
  for (const auto& [name, value] : reading["values"].items()) latest[name] = value;
  latest["time_ms"] = reading["time_ms"];
  // Serialised only for someone watching: a history backfill runs with nobody connected.
  if (subscribers_.empty()) return;
  const auto text = reading.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::erase_if(subscribers_, [&](const Subscriber& s) {
    if (!s.filter(meter)) return s.stream->closed();
    return !s.stream->send("reading", text);
  });
}

nlohmann::json LiveFeed::latest(const std::string& meter) const {
  std::lock_guard lock(mutex_);
  auto it = latest_.find(meter);
  return it == latest_.end() ? nlohmann::json::object() : it->second;
}

std::size_t LiveFeed::subscribers() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

}  // namespace meterd::dashboard
