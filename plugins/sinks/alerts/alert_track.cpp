#include "alert_track.hpp"

#include <nlohmann/json.hpp>

namespace meterd::alerts {
namespace {

// NaN is not JSON; null stands for "not known yet".
nlohmann::json number(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }
double number(const nlohmann::json& j) { return j.is_null() ? NAN : j.get<double>(); }

}  // namespace

std::string to_json(const Track& t) {
  nlohmann::json j{{"firing", t.firing},
                   {"pending_since", t.pending_since},
                   {"clearing_since", t.clearing_since},
                   {"fired_at", t.fired_at},
                   {"resolved_at", t.resolved_at},
                   {"last_notice", t.last_notice},
                   {"episode", t.episode},
                   {"announced", t.announced},
                   {"resolve_owed", t.resolve_owed},
                   {"value", number(t.value)},
                   {"detail", t.detail},
                   {"last_seen", t.last_seen},
                   {"period_start", t.period_start},
                   {"baseline", number(t.baseline)},
                   {"last_register", number(t.last_register)},
                   {"last_register_at", t.last_register_at},
                   {"quarter", t.quarter},
                   {"quarter_register", number(t.quarter_register)},
                   {"quarter_register_at", t.quarter_register_at},
                   {"month_start", t.month_start},
                   {"month_peak", t.month_peak},
                   {"night_day", t.night_day},
                   {"bucket", t.bucket},
                   {"bucket_sum", t.bucket_sum},
                   {"bucket_count", t.bucket_count},
                   {"night_min", number(t.night_min)},
                   {"nights", t.nights}};
  return j.dump();
}

Track track_from_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  Track t;
  t.firing = j.at("firing");
  t.pending_since = j.at("pending_since");
  t.clearing_since = j.at("clearing_since");
  t.fired_at = j.at("fired_at");
  t.resolved_at = j.at("resolved_at");
  t.last_notice = j.at("last_notice");
  t.episode = j.at("episode");
  t.announced = j.at("announced");
  t.resolve_owed = j.at("resolve_owed");
  t.value = number(j.at("value"));
  t.detail = j.at("detail");
  t.last_seen = j.at("last_seen");
  t.period_start = j.at("period_start");
  t.baseline = number(j.at("baseline"));
  t.last_register = number(j.at("last_register"));
  t.last_register_at = j.at("last_register_at");
  t.quarter = j.at("quarter");
  t.quarter_register = number(j.at("quarter_register"));
  t.quarter_register_at = j.at("quarter_register_at");
  t.month_start = j.at("month_start");
  t.month_peak = j.at("month_peak");
  t.night_day = j.at("night_day");
  t.bucket = j.at("bucket");
  t.bucket_sum = j.at("bucket_sum");
  t.bucket_count = j.at("bucket_count");
  t.night_min = number(j.at("night_min"));
  t.nights = j.at("nights").get<std::vector<std::pair<std::int64_t, double>>>();
  t.dirty = false;
  return t;
}

}  // namespace meterd::alerts
