#include "notice_json.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace meterd::alerts {

std::string notice_title(const Notice& n) {
  return "meterd: " + n.rule + " " + kind_name(n.kind) + (n.subject.empty() ? "" : " (" + n.subject + ")");
}

std::string notice_json(const Notice& n, const TimeZone& zone, const std::string& topic) {
  auto iso = [&](std::int64_t ms) { return format_iso8601(ms / 1000, zone.offset_at(ms / 1000)); };
  nlohmann::json j{{"rule", n.rule},
                   {"subject", n.subject},
                   {"kind", kind_name(n.kind)},
                   {"state", n.kind == Notice::Kind::resolved ? "resolved" : "firing"},
                   {"condition", n.condition},
                   {"value", std::isfinite(n.value) ? nlohmann::json(n.value) : nlohmann::json(nullptr)},
                   {"since", iso(n.since_ms)},
                   {"time", iso(n.time_ms)},
                   {"episode", n.episode},
                   {"title", notice_title(n)},
                   {"message", n.message},
                   // 4 and 2 mean "high" and "low" to ntfy (1..5) and Gotify (0..10) alike.
                   {"priority", n.kind == Notice::Kind::resolved ? 2 : 4}};
  if (!topic.empty()) j["topic"] = topic;
  return j.dump();
}

}  // namespace meterd::alerts
