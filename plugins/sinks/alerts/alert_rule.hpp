#pragma once
// An alert rule as the config states it: `alert.NAME.KEY = VALUE` lines in the alerts sink's
// section (docs/alerts.md). Parsing checks everything --check-config can check and says
// what to change.
#include <boost/program_options/variables_map.hpp>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "rule_units.hpp"

namespace meterd::alerts {

enum class ConditionKind {
  power_above, power_below, voltage_outside, energy_above, energy_projected_above, base_load_above,
  base_load_rising, peak_demand_above, peak_demand_near, silent, decoder_errors_above, queue_growing, queue_above
};
enum class Period { day, week, month };

struct Condition {
  ConditionKind kind{};
  double threshold = 0;   // W, Wh, V (upper), errors per hour, queued items
  double low = 0;         // voltage: lower bound
  double percent = 0;     // base load rising, peak demand "within"
  int weeks = 0;          // base load rising: compared with this many weeks earlier
  Period period = Period::day;
  std::int64_t silence_ms = 0;
  std::string text;       // as written, for messages
};

struct Rule {
  std::string name;
  Condition condition;
  std::int64_t for_ms = 0;        // condition must hold this long before firing
  std::int64_t clear_for_ms = 0;  // and be clear this long before resolving
  double hysteresis = 0;          // in the condition's unit; a fraction when hysteresis_relative
  bool hysteresis_relative = true;
  std::string meter;              // empty: every meter (or every source/sink instance)
  DailyWindow quiet;              // notices wait until it ends
  DailyWindow night;              // base load: the window of the night minimum
  std::int64_t repeat_ms = 0;     // reminder while firing (0: none)
  std::int64_t cooldown_ms = 0;   // after a resolve, a new episode is announced only this much later
  std::vector<std::string> channels;  // empty: all
};

// The settings an alerts sink section may give once for all rules.
struct RuleDefaults {
  DailyWindow quiet;
  std::int64_t cooldown_ms = 15 * 60'000;
};

// Every `alert.NAME.*` option of the section, as rules sorted by name. `meters` is the sink's
// own `meters` list (empty: all), `channels` the names of the configured channels. Throws
// std::invalid_argument naming the rule, its key and what to write instead.
std::vector<Rule> read_rules(const boost::program_options::variables_map& options, const RuleDefaults& defaults,
                             const std::vector<std::string>& meters, const std::set<std::string>& channels);

Condition parse_condition(const std::string& text);

}  // namespace meterd::alerts
