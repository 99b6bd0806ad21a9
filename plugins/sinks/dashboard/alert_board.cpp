#include "alert_board.hpp"

#include <map>
#include <string>
#include <string_view>

namespace meterd::dashboard {
namespace {

// "power_high: ..." or "power_high still firing: ...": a rule's name has neither.
std::string rule_of(const std::string& message) { return message.substr(0, message.find_first_of(": ")); }

// "power_high: power > 3 kW for 1 min": what follows the name.
std::string definition_of(const std::string& message, std::size_t name_size) {
  return name_size + 2 <= message.size() ? message.substr(name_size + 2) : std::string();
}

std::string kind_of(std::string_view code) {
  for (const char* kind : {"rule", "firing", "reminder", "resolved"})
    if (code == std::string("alert_") + kind) return kind;
  return {};
}

}  // namespace

AlertBoard::AlertBoard(const std::filesystem::path& file, std::size_t history_limit)
    : history_limit_(history_limit), db_(file) {
  db_.exec("PRAGMA journal_mode=WAL");
  db_.exec(
      "CREATE TABLE IF NOT EXISTS alert_rules(source TEXT NOT NULL, rule TEXT NOT NULL, definition TEXT NOT NULL, "
      "seen_ms INTEGER NOT NULL, PRIMARY KEY(source, rule));"
      "CREATE TABLE IF NOT EXISTS alert_history(id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, source TEXT NOT NULL, "
      "rule TEXT NOT NULL, subject TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL);");
}

bool AlertBoard::take(const v1::Diagnostic& d) {
  const auto kind = kind_of(d.code());
  if (kind.empty()) return false;
  const auto rule = rule_of(d.message());
  if (rule.empty()) return false;
  std::lock_guard lock(mutex_);
  if (kind == "rule") {
    db_.cached("INSERT INTO alert_rules VALUES(?,?,?,?) ON CONFLICT(source, rule) DO UPDATE SET "
               "definition=excluded.definition, seen_ms=excluded.seen_ms")
        ->bind(1, d.source()).bind(2, rule).bind(3, definition_of(d.message(), rule.size()))
        .bind(4, d.time_ms()).run();
    return true;
  }
  Transaction tx(db_);
  db_.cached("INSERT INTO alert_history(time_ms, source, rule, subject, kind, message) VALUES(?,?,?,?,?,?)")
      ->bind(1, d.time_ms()).bind(2, d.source()).bind(3, rule).bind(4, d.meter_id()).bind(5, kind).bind(6, d.message())
      .run();
  db_.cached("DELETE FROM alert_history WHERE id <= (SELECT max(id) FROM alert_history) - ?")
      ->bind(1, static_cast<std::int64_t>(history_limit_)).run();
  tx.commit();
  return true;
}

nlohmann::json AlertBoard::json(std::size_t limit) const {
  using nlohmann::json;
  struct RuleRow {
    std::string definition;
    json firing = json::array();
    std::int64_t last_fired_ms = 0, last_resolved_ms = 0;
  };
  std::map<std::pair<std::string, std::string>, RuleRow> rules;  // (source, rule)
  json history = json::array();
  std::lock_guard lock(mutex_);
  auto defs = db_.prepare("SELECT source, rule, definition FROM alert_rules");
  while (defs.step()) rules[{defs.text(0), defs.text(1)}].definition = defs.text(2);
  // A subject fires while its latest notice is not a resolve.
  auto latest = db_.prepare(
      "SELECT source, rule, subject, kind, time_ms FROM alert_history h WHERE id = (SELECT max(id) FROM alert_history "
      "WHERE source=h.source AND rule=h.rule AND subject=h.subject) ORDER BY subject");
  while (latest.step()) {
    auto& r = rules[{latest.text(0), latest.text(1)}];
    if (latest.text(3) != "resolved") r.firing.push_back({{"subject", latest.text(2)}, {"since_ms", latest.int64(4)}});
  }
  auto last = db_.prepare(
      "SELECT source, rule, max(CASE WHEN kind='firing' THEN time_ms END), max(CASE WHEN kind='resolved' THEN time_ms END) "
      "FROM alert_history GROUP BY source, rule");
  while (last.step()) {
    auto& r = rules[{last.text(0), last.text(1)}];
    r.last_fired_ms = last.int64(2);
    r.last_resolved_ms = last.int64(3);
  }
  json rows = json::array();
  std::size_t firing = 0;
  for (const auto& [key, r] : rules) {
    firing += r.firing.size();
    rows.push_back({{"source", key.first},
                    {"rule", key.second},
                    {"definition", r.definition},
                    {"state", r.firing.empty() ? "ok" : "firing"},
                    {"firing", r.firing},
                    {"last_fired_ms", r.last_fired_ms ? json(r.last_fired_ms) : json(nullptr)},
                    {"last_resolved_ms", r.last_resolved_ms ? json(r.last_resolved_ms) : json(nullptr)}});
  }
  auto h = db_.prepare("SELECT time_ms, source, rule, subject, kind, message FROM alert_history ORDER BY id DESC LIMIT ?");
  h.bind(1, static_cast<std::int64_t>(limit));
  while (h.step())
    history.push_back({{"time_ms", h.int64(0)}, {"source", h.text(1)}, {"rule", h.text(2)}, {"subject", h.text(3)},
                       {"kind", h.text(4)}, {"message", h.text(5)}});
  return {{"rules", rows}, {"firing", firing}, {"history", history}};
}

}  // namespace meterd::dashboard
