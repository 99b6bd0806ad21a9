#include "live_feed.hpp"

namespace meterd::dashboard {

void LiveFeed::subscribe(std::shared_ptr<http::EventStream> stream, Filter filter) {
  std::lock_guard lock(mutex_);
  subscribers_.push_back({std::move(stream), std::move(filter)});
}

void LiveFeed::publish(const std::string& meter, std::int64_t time_ms, const std::vector<LiveValue>& values) {
  std::lock_guard lock(mutex_);
  auto& latest = latest_[meter];
  latest.time_ms = time_ms;
  for (const auto& v : values) {
    auto it = latest.values.find(v.quantity);
    if (it == latest.values.end()) latest.values.emplace(v.quantity, std::pair{v.value, v.unit});
    else it->second.first = v.value;  // units do not change between readings of one quantity
  }
  // Serialised only for someone watching: a history backfill runs with nobody connected.
  if (subscribers_.empty()) return;
  nlohmann::json reading{{"meter", meter}, {"time_ms", time_ms}, {"values", nlohmann::json::object()}};
  for (const auto& v : values) reading["values"][v.quantity] = {{"value", v.value}, {"unit", v.unit}};
  const auto text = reading.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::erase_if(subscribers_, [&](const Subscriber& s) {
    if (!s.filter(meter)) return s.stream->closed();
    return !s.stream->send("reading", text);
  });
}

nlohmann::json LiveFeed::latest(const std::string& meter) const {
  std::lock_guard lock(mutex_);
  auto it = latest_.find(meter);
  if (it == latest_.end()) return nlohmann::json::object();
  nlohmann::json out{{"time_ms", it->second.time_ms}};
  for (const auto& [quantity, v] : it->second.values) out[quantity] = {{"value", v.first}, {"unit", v.second}};
  return out;
}

std::size_t LiveFeed::subscribers() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

}  // namespace meterd::dashboard
