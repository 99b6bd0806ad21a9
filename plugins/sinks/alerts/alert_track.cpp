#include "alert_track.hpp"

#include <nlohmann/json.hpp>

namespace meterd::alerts {
namespace {

// Every saved field once, for writing and reading alike. The counter samples are not saved:
// the counters they come from start again at 0 with meterd.
template <typename T, typename Visit>
void fields(T& t, Visit&& visit) {
  visit("firing", t.firing);
  visit("pending_since", t.pending_since);
  visit("clearing_since", t.clearing_since);
  visit("fired_at", t.fired_at);
  visit("resolved_at", t.resolved_at);
  visit("last_notice", t.last_notice);
  visit("episode", t.episode);
  visit("announced", t.announced);
  visit("resolve_owed", t.resolve_owed);
  visit("value", t.value);
  visit("detail", t.detail);
  visit("last_seen", t.last_seen);
  visit("period_start", t.period_start);
  visit("baseline", t.baseline);
  visit("last_register", t.last_register);
  visit("last_register_at", t.last_register_at);
  visit("quarter", t.quarter);
  visit("quarter_register", t.quarter_register);
  visit("quarter_register_at", t.quarter_register_at);
  visit("month_start", t.month_start);
  visit("month_peak", t.month_peak);
  visit("night_day", t.night_day);
  visit("bucket", t.bucket);
  visit("bucket_sum", t.bucket_sum);
  visit("bucket_count", t.bucket_count);
  visit("night_min", t.night_min);
  visit("nights", t.nights);
  visit("last_counter", t.last_counter);
}

// NaN is not JSON; null stands for "not known yet".
template <typename V>
nlohmann::json put(const V& v) {
  if constexpr (std::is_same_v<V, double>) return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
  else return nlohmann::json(v);
}

template <typename V>
void get(const nlohmann::json& j, V& v) {
  if constexpr (std::is_same_v<V, double>) v = j.is_null() ? NAN : j.get<double>();
  else v = j.get<V>();
}

}  // namespace

std::string to_json(const Track& t) {
  nlohmann::json j;
  fields(t, [&](const char* key, const auto& value) { j[key] = put(value); });
  return j.dump();
}

Track track_from_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  Track t;
  fields(t, [&](const char* key, auto& value) { get(j.at(key), value); });
  t.dirty = false;
  return t;
}

}  // namespace meterd::alerts
