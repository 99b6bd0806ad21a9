#include "alert_engine.hpp"

#include <cmath>

namespace meterd::alerts {
namespace {

std::string clock_text(const TimeZone& zone, std::int64_t ms) {
  const auto s = ms / 1000;
  return format_iso8601(s, zone.offset_at(s));
}

std::string duration_text(std::int64_t ms) {
  const auto minutes = ms / 60'000;
  if (minutes < 120) return std::to_string(minutes) + " min";
  if (minutes < 48 * 60) return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
  return std::to_string(minutes / 1440) + " days";
}

}  // namespace

const char* kind_name(Notice::Kind kind) {
  switch (kind) {
    case Notice::Kind::fired: return "firing";
    case Notice::Kind::reminder: return "reminder";
    case Notice::Kind::resolved: return "resolved";
  }
  return "";
}

AlertEngine::AlertEngine(std::vector<Rule> rules, std::shared_ptr<const TimeZone> zone, AlertStateFile* state)
    : zone_(std::move(zone)), state_(state) {
  for (auto& r : rules) {
    RuleState rs{std::move(r), {}, false};
    if (state_) rs.tracks = state_->load(rs.rule.name, rs.rule.condition.text);
    rules_.push_back(std::move(rs));
  }
}

void AlertEngine::start(std::int64_t now_ms) {
  for (auto& rs : rules_) {
    if (rs.rule.condition.kind != ConditionKind::silent) continue;
    // Silence counts from this start, not from before it: meterd being down is not the meter's fault.
    for (auto& [_, t] : rs.tracks) t.last_seen = std::max(t.last_seen, now_ms);
    if (!rs.rule.meter.empty() && !rs.tracks.count(rs.rule.meter)) rs.tracks[rs.rule.meter].last_seen = now_ms;
    rs.dirty = true;
  }
}

bool AlertEngine::quiet(const Rule& r, std::int64_t now_ms) const {
  if (r.quiet.empty()) return false;
  const std::int64_t local = zone_->utc_to_local(now_ms / 1000);
  const auto minute = static_cast<int>(((local % 86400) + 86400) % 86400 / 60);
  return r.quiet.contains(minute);
}

std::string AlertEngine::describe(const Rule& r, const Track& t) const {
  return t.detail + ": " + value_text(r.condition, t.value) + " (" + r.condition.text + ")";
}

void AlertEngine::record(const RuleState& rs, const std::string& subject, const Track& t, const char* kind,
                         const std::string& message, std::int64_t time) {
  (void)t;
  if (state_) state_->append({time, rs.rule.name, subject, kind, message});
}

void AlertEngine::judge(RuleState& rs, const Observation& o, std::vector<Notice>& out) {
  const Rule& r = rs.rule;
  Track& t = rs.tracks[o.subject];
  t.value = o.value;
  t.detail = o.detail;
  rs.dirty = true;
  if (!t.firing) {
    t.clearing_since = -1;
    if (!o.fire) {
      t.pending_since = -1;
    } else {
      if (t.pending_since < 0) t.pending_since = o.time_ms;
      if (o.time_ms - t.pending_since >= r.for_ms) {
        t.firing = true;
        t.fired_at = t.pending_since;
        t.pending_since = -1;
        ++t.episode;
        if (t.resolve_owed) {
          // Resolved and back again while notices waited: for the owner it never ended.
          t.resolve_owed = false;
        } else {
          t.announced = false;
        }
        record(rs, o.subject, t, "firing", describe(r, t), o.time_ms);
      }
    }
  } else {
    t.pending_since = -1;
    if (!o.clear) {
      t.clearing_since = -1;
    } else {
      if (t.clearing_since < 0) t.clearing_since = o.time_ms;
      if (o.time_ms - t.clearing_since >= r.clear_for_ms) {
        t.firing = false;
        t.resolved_at = o.time_ms;
        t.clearing_since = -1;
        t.resolve_owed = t.announced;
        record(rs, o.subject, t, "resolved", describe(r, t), o.time_ms);
      }
    }
  }
  announce(rs, o.subject, t, o.time_ms, out);
}

void AlertEngine::announce(RuleState& rs, const std::string& subject, Track& t, std::int64_t now,
                           std::vector<Notice>& out) {
  const Rule& r = rs.rule;
  if (quiet(r, now)) return;
  auto notice = [&](Notice::Kind kind, std::string message) {
    Notice n{kind, r.name, subject, r.condition.text, now, t.fired_at, t.episode, t.value, std::move(message), r.channels};
    t.last_notice = now;
    rs.dirty = true;
    out.push_back(std::move(n));
  };
  if (t.resolve_owed) {
    t.resolve_owed = false;
    t.announced = false;
    notice(Notice::Kind::resolved, r.name + " resolved: " + describe(r, t) + "; it began " +
                                       clock_text(*zone_, t.fired_at) + " and lasted " +
                                       duration_text(t.resolved_at - t.fired_at));
    return;
  }
  if (!t.firing) return;
  if (!t.announced) {
    // A new episode soon after the last resolve waits out the cool-down, so a condition
    // that comes and goes says so once, not at every swing.
    if (t.resolved_at >= 0 && now - t.resolved_at < r.cooldown_ms) return;
    t.announced = true;
    notice(Notice::Kind::fired, r.name + ": " + describe(r, t) + ", since " + clock_text(*zone_, t.fired_at));
  } else if (r.repeat_ms > 0 && now - t.last_notice >= r.repeat_ms) {
    notice(Notice::Kind::reminder, r.name + " still firing: " + describe(r, t) + ", for " + duration_text(now - t.fired_at));
  }
}

std::vector<Notice> AlertEngine::on_reading(const v1::Reading& reading) {
  std::vector<Notice> out;
  for (auto& rs : rules_) {
    const auto observations = observe_reading(rs.rule, rs.tracks, reading, *zone_);
    if (rs.tracks.count(reading.meter_id())) rs.dirty = true;
    for (const auto& o : observations) judge(rs, o, out);
  }
  return out;
}

std::vector<Notice> AlertEngine::on_diagnostic(const v1::Diagnostic& diagnostic) {
  std::vector<Notice> out;
  for (auto& rs : rules_)
    for (const auto& o : observe_counters(rs.rule, rs.tracks, diagnostic)) judge(rs, o, out);
  return out;
}

std::vector<Notice> AlertEngine::tick(std::int64_t now_ms) {
  std::vector<Notice> out;
  for (auto& rs : rules_) {
    for (const auto& o : observe_clock(rs.rule, rs.tracks, now_ms)) judge(rs, o, out);
    for (auto& [subject, t] : rs.tracks) announce(rs, subject, t, now_ms, out);
  }
  return out;
}

void AlertEngine::save() {
  if (!state_) return;
  for (auto& rs : rules_) {
    if (!rs.dirty) continue;
    std::map<std::string, Track*> tracks;
    for (auto& [subject, t] : rs.tracks) tracks[subject] = &t;
    state_->save(rs.rule.name, rs.rule.condition.text, tracks);
    rs.dirty = false;
  }
}

std::vector<AlertStatus> AlertEngine::status() const {
  std::vector<AlertStatus> out;
  for (const auto& rs : rules_)
    for (const auto& [subject, t] : rs.tracks)
      out.push_back({rs.rule.name, subject, rs.rule.condition.text, t.firing, t.firing ? t.fired_at : -1, t.fired_at,
                     t.value});
  return out;
}

}  // namespace meterd::alerts
