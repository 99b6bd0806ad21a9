#pragma once
// Judges the rules on what arrives (readings, counter diagnostics) and on the clock (silence,
// waiting notices), keeps one Track per rule and subject, and turns episodes into notices:
// once when an episode starts (after `for`), once when it resolves (after `clear_for`, past
// the hysteresis), reminders only when `repeat` asks for them, nothing during quiet hours
// (what waited is said when they end, once), and a new episode right after a resolve only
// once the cool-down has passed. Not thread-safe: the sink calls it under one lock.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "alert_conditions.hpp"
#include "alert_rule.hpp"
#include "alert_state_file.hpp"
#include "alert_track.hpp"
#include "meterd/time_zone.hpp"
#include "meterd/v1/bus.pb.h"

namespace meterd::alerts {

struct Notice {
  enum class Kind { fired, reminder, resolved };
  Kind kind{};
  std::string rule, subject, condition;
  std::int64_t time_ms = 0;    // when the notice was made
  std::int64_t since_ms = 0;   // when the episode started
  std::uint64_t episode = 0;
  double value = 0;
  std::string message;         // one line for a person
  std::vector<std::string> channels;  // empty: all
};
const char* kind_name(Notice::Kind kind);

struct AlertStatus {
  std::string rule, subject, condition;
  bool firing;
  std::int64_t since_ms, last_fired_ms;
  double value;
};

class AlertEngine {
 public:
  // `state` may be null (nothing is remembered over a restart).
  AlertEngine(std::vector<Rule> rules, std::shared_ptr<const TimeZone> zone, AlertStateFile* state);

  // Call once before anything else, with the current time: silence is counted from here for
  // meters that were known before a restart or are named by a rule.
  void start(std::int64_t now_ms);
  std::vector<Notice> on_reading(const v1::Reading& reading);
  std::vector<Notice> on_diagnostic(const v1::Diagnostic& diagnostic);
  std::vector<Notice> tick(std::int64_t now_ms);
  void save();  // writes changed tracks to the state file

  std::vector<AlertStatus> status() const;

 private:
  struct RuleState {
    Rule rule;
    Tracks tracks;
    bool dirty = false;  // something changed since the last save
  };
  void judge(RuleState& rs, const Observation& o, std::vector<Notice>& out);
  void announce(RuleState& rs, const std::string& subject, Track& t, std::int64_t now, std::vector<Notice>& out);
  void record(const RuleState& rs, const std::string& subject, const Track& t, const char* kind,
              const std::string& message, std::int64_t time);
  bool quiet(const Rule& r, std::int64_t now_ms) const;
  std::string describe(const Rule& r, const Track& t) const;

  std::vector<RuleState> rules_;
  std::shared_ptr<const TimeZone> zone_;
  AlertStateFile* state_;
};

}  // namespace meterd::alerts
