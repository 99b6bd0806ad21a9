#include "alert_rule.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

namespace meterd::alerts {
namespace {

const char* const kConditionHelp =
    "write one of: power above 3 kW | power below 50 W | voltage outside 207 V to 253 V (or 230 V +/- 10 %) | "
    "energy day|week|month above 20 kWh | energy month projected above 400 kWh | base_load above 300 W | "
    "base_load rising 20 % over 4 weeks | peak_demand above 8 kW | peak_demand within 10 % of 8 kW | "
    "silent 15 min | decoder_errors above 10 per hour | queue growing | queue above 1000";

const std::set<std::string> kKeys{"when",    "for",      "clear_for", "meter",    "instance", "quiet_hours",
                                  "night",   "repeat",   "cooldown",  "hysteresis", "channels"};

std::string join(const std::vector<std::string>& words, std::size_t from, std::size_t to) {
  std::string s;
  for (std::size_t i = from; i < to && i < words.size(); ++i) s += (s.empty() ? "" : " ") + words[i];
  return s;
}

[[noreturn]] void bad(const std::string& text, const std::string& why = "") {
  throw std::invalid_argument("'" + text + "' is not a condition" + (why.empty() ? "" : " (" + why + ")") + "; " +
                              kConditionHelp);
}

double percent_of(const std::vector<std::string>& w, std::size_t i, const std::string& text) {
  if (i + 1 >= w.size() || w[i + 1] != "%") bad(text, "a percentage such as 10 % is expected");
  try {
    return parse_amount(w[i], Dimension::count);
  } catch (const std::invalid_argument&) {
    bad(text, "'" + w[i] + "' is not a number");
  }
}

}  // namespace

Condition parse_condition(const std::string& text) {
  Condition c;
  c.text = text;
  std::string normal = text;  // "+/-" would split into signs; one word for it
  for (auto at = normal.find("+/-"); at != std::string::npos; at = normal.find("+/-")) normal.replace(at, 3, " \u00b1 ");
  std::vector<std::string> w = split_words(normal);
  for (auto& word : w)
    if (word.size() > 1 && word.back() == '%') {  // "10%" splits as "10%" when glued to letters
      word.pop_back();
    }
  if (w.empty()) bad(text, "it is empty");
  const std::string& what = w[0];
  auto amount_from_words = [&](const std::string& words, Dimension d) {
    try {
      return parse_amount(words, d);
    } catch (const std::invalid_argument& e) {
      bad(text, e.what());
    }
  };
  auto amount_from = [&](std::size_t i, Dimension d) { return amount_from_words(join(w, i, w.size()), d); };
  auto number_at = [&](std::size_t i) { return amount_from_words(w[i], Dimension::count); };
  if (what == "price")
    throw std::invalid_argument("'" + text + "': price conditions wait for dynamic prices (hourly market prices), which "
                                "meterd does not read yet; it knows only fixed tariffs (docs/prices.md). Remove this "
                                "rule (docs/alerts.md, \"Prices\")");
  if (what == "power" && w.size() >= 3 && (w[1] == "above" || w[1] == "below")) {
    c.kind = w[1] == "above" ? ConditionKind::power_above : ConditionKind::power_below;
    c.threshold = amount_from(2, Dimension::power);
  } else if (what == "voltage" && w.size() >= 2 && w[1] == "outside") {
    c.kind = ConditionKind::voltage_outside;
    c.low = 207;
    c.threshold = 253;  // 230 V +/- 10 % (EN 50160)
    if (w.size() == 7 && w.back() == "%" && w[4] == "\u00b1") {  // 230 V +/- 10 %
      const double centre = amount_from_words(join(w, 2, 4), Dimension::voltage);
      const double percent = number_at(5);
      c.low = centre * (1 - percent / 100);
      c.threshold = centre * (1 + percent / 100);
      if (percent <= 0 || percent >= 100) bad(text, "the band must be between 0 and 100 %");
    } else if (w.size() > 2) {
      const auto to = std::find(w.begin(), w.end(), "to");
      if (to == w.end()) bad(text, "give the band as 207 V to 253 V, or nothing for 230 V +/- 10 %");
      const auto split = static_cast<std::size_t>(to - w.begin());
      try {
        c.low = parse_amount(join(w, 2, split), Dimension::voltage);
        c.threshold = parse_amount(join(w, split + 1, w.size()), Dimension::voltage);
      } catch (const std::invalid_argument& e) {
        bad(text, e.what());
      }
      if (c.low >= c.threshold) bad(text, "the lower bound must be below the upper one");
    }
  } else if (what == "energy" && w.size() >= 4) {
    static const std::map<std::string, Period> periods{{"day", Period::day}, {"week", Period::week}, {"month", Period::month}};
    const auto p = periods.find(w[1]);
    if (p == periods.end()) bad(text, "the period must be day, week or month");
    c.period = p->second;
    std::size_t i = 2;
    c.kind = ConditionKind::energy_above;
    if (w[i] == "projected") {
      c.kind = ConditionKind::energy_projected_above;
      ++i;
    }
    if (w[i] != "above") bad(text, "'above' is expected after the period");
    c.threshold = amount_from(i + 1, Dimension::energy);
  } else if (what == "base_load" && w.size() >= 3 && w[1] == "above") {
    c.kind = ConditionKind::base_load_above;
    c.threshold = amount_from(2, Dimension::power);
  } else if (what == "base_load" && w.size() == 7 && w[1] == "rising" && w[4] == "over" &&
             (w[6] == "weeks" || w[6] == "week")) {
    c.kind = ConditionKind::base_load_rising;
    c.percent = percent_of(w, 2, text);
    c.weeks = static_cast<int>(number_at(5));
    if (c.weeks < 1 || c.weeks > 8) bad(text, "the comparison goes back 1 to 8 weeks");
    if (c.percent <= 0) bad(text, "the rise must be above 0 %");
  } else if (what == "peak_demand" && w.size() >= 3 && w[1] == "above") {
    c.kind = ConditionKind::peak_demand_above;
    c.threshold = amount_from(2, Dimension::power);
  } else if (what == "peak_demand" && w.size() >= 6 && w[1] == "within" && w[4] == "of") {
    c.kind = ConditionKind::peak_demand_near;
    c.percent = percent_of(w, 2, text);
    if (c.percent <= 0 || c.percent >= 100) bad(text, "the margin must be between 0 and 100 %");
    c.threshold = amount_from(5, Dimension::power);
  } else if (what == "silent" && w.size() >= 2) {
    try {
      c.silence_ms = parse_duration_ms(join(w, 1, w.size()));
    } catch (const std::invalid_argument& e) {
      bad(text, e.what());
    }
    if (c.silence_ms < 1000) bad(text, "the silence must last at least 1 s");
    c.kind = ConditionKind::silent;
  } else if (what == "decoder_errors" && w.size() == 5 && w[1] == "above" && w[3] == "per" &&
             (w[4] == "hour" || w[4] == "minute" || w[4] == "min")) {
    c.kind = ConditionKind::decoder_errors_above;
    c.threshold = number_at(2) * (w[4] == "hour" ? 1 : 60);
  } else if (what == "queue" && w.size() == 2 && w[1] == "growing") {
    c.kind = ConditionKind::queue_growing;
  } else if (what == "queue" && w.size() == 3 && w[1] == "above") {
    c.kind = ConditionKind::queue_above;
    c.threshold = amount_from(2, Dimension::count);
  } else {
    bad(text);
  }
  return c;
}

namespace {

// Default hysteresis: a value must move this far back past the threshold before an alert
// resolves, so a value hovering at the threshold makes one episode, not one per reading.
void default_hysteresis(Rule& r) {
  switch (r.condition.kind) {
    case ConditionKind::power_above:
    case ConditionKind::power_below:
    case ConditionKind::base_load_above:
    case ConditionKind::peak_demand_above:
    case ConditionKind::peak_demand_near:
    case ConditionKind::decoder_errors_above:
    case ConditionKind::queue_above:
    case ConditionKind::energy_projected_above:
      r.hysteresis = 0.05;
      r.hysteresis_relative = true;
      break;
    case ConditionKind::voltage_outside:
      r.hysteresis = 2;  // V
      r.hysteresis_relative = false;
      break;
    case ConditionKind::base_load_rising:
      r.hysteresis = r.condition.percent / 4;  // percentage points
      r.hysteresis_relative = false;
      break;
    default:
      r.hysteresis = 0;
      r.hysteresis_relative = false;
  }
}

void set_hysteresis(Rule& r, const std::string& value) {
  auto words = split_words(value);
  if (words.size() == 2 && words[1] == "%") {
    r.hysteresis = parse_amount(words[0], Dimension::count) / 100;
    r.hysteresis_relative = true;
    return;
  }
  const auto k = r.condition.kind;
  const Dimension d = k == ConditionKind::voltage_outside ? Dimension::voltage
                      : (k == ConditionKind::power_above || k == ConditionKind::power_below ||
                         k == ConditionKind::base_load_above || k == ConditionKind::peak_demand_above ||
                         k == ConditionKind::peak_demand_near)
                          ? Dimension::power
                          : Dimension::count;
  r.hysteresis = parse_amount(value, d);
  r.hysteresis_relative = false;
}


bool about_instances(ConditionKind k) { return k == ConditionKind::decoder_errors_above || k == ConditionKind::queue_growing || k == ConditionKind::queue_above; }

}  // namespace

std::vector<Rule> read_rules(const boost::program_options::variables_map& options, const RuleDefaults& defaults,
                             const std::vector<std::string>& meters, const std::set<std::string>& channels) {
  std::map<std::string, std::map<std::string, std::string>> raw;
  for (const auto& [key, value] : options) {
    if (key.rfind("alert.", 0) != 0) continue;
    const auto dot = key.rfind('.');
    const std::string name = key.substr(6, dot > 6 ? dot - 6 : 0);
    const std::string setting = dot > 6 ? key.substr(dot + 1) : "";
    const bool plain = std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; });
    if (name.empty() || setting.empty() || !plain)
      throw std::invalid_argument("option '" + key + "': write rule settings as alert.NAME.KEY with a NAME of letters, digits, _ and -, e.g. alert.night_load.when");
    if (!kKeys.count(setting)) {
      std::string list;
      for (const auto& k : kKeys) list += (list.empty() ? "" : ", ") + k;
      throw std::invalid_argument("option '" + key + "': unknown rule setting '" + setting + "' (valid: " + list + ")");
    }
    raw[name][setting] = value.as<std::string>();
  }
  std::vector<Rule> rules;
  for (const auto& [name, settings] : raw) {
    auto context = [&](const std::string& key) { return "option 'alert." + name + "." + key + "': "; };
    auto get = [&](const std::string& key) -> const std::string* {
      const auto it = settings.find(key);
      return it == settings.end() ? nullptr : &it->second;
    };
    Rule r;
    r.name = name;
    r.quiet = defaults.quiet;
    r.cooldown_ms = defaults.cooldown_ms;
    r.night = DailyWindow{60, 300};
    const std::string* when = get("when");
    if (!when) throw std::invalid_argument("rule '" + name + "' has no condition: add alert." + name + ".when = ..., e.g. power above 8 kW");
    auto step = [&](const std::string& key, auto&& apply) {
      const std::string* value = get(key);
      if (!value) return;
      try {
        apply(*value);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(context(key) + e.what());
      }
    };
    step("when", [&](const std::string& v) { r.condition = parse_condition(v); });
    default_hysteresis(r);
    // A queue fills a little before every batch; only a lasting rise means delivery fails.
    if (r.condition.kind == ConditionKind::queue_growing) r.for_ms = 5 * 60'000;
    step("for", [&](const std::string& v) { r.for_ms = parse_duration_ms(v); });
    r.clear_for_ms = r.for_ms;
    step("clear_for", [&](const std::string& v) { r.clear_for_ms = parse_duration_ms(v); });
    step("repeat", [&](const std::string& v) { r.repeat_ms = v == "none" ? 0 : parse_duration_ms(v); });
    step("cooldown", [&](const std::string& v) { r.cooldown_ms = parse_duration_ms(v); });
    step("quiet_hours", [&](const std::string& v) { r.quiet = parse_window(v); });
    step("night", [&](const std::string& v) {
      r.night = parse_window(v);
      if (r.night.empty()) throw std::invalid_argument("the night window must not be empty, e.g. 01:00-05:00");
    });
    step("hysteresis", [&](const std::string& v) { set_hysteresis(r, v); });
    const bool instances = about_instances(r.condition.kind);
    step("meter", [&](const std::string& v) {
      if (instances) throw std::invalid_argument("this condition is about plugin instances; name one with alert." + name + ".instance");
      r.meter = v == "all" ? "" : v;
      if (!r.meter.empty() && !meters.empty() && std::find(meters.begin(), meters.end(), r.meter) == meters.end())
        throw std::invalid_argument("meter '" + r.meter + "' is not in this sink's 'meters' list, so the rule would never see it; add it there or correct the id");
    });
    step("instance", [&](const std::string& v) {
      if (!instances) throw std::invalid_argument("only decoder_errors and queue conditions name an instance; use alert." + name + ".meter for meters");
      r.meter = v == "all" ? "" : v;
    });
    step("channels", [&](const std::string& v) {
      r.channels = split_list(v);
      for (const auto& c : r.channels)
        if (!channels.count(c)) {
          std::string list;
          for (const auto& k : channels) list += (list.empty() ? "" : ", ") + k;
          throw std::invalid_argument("no channel '" + c + "' is configured (configured: " + (list.empty() ? "none" : list) + ")");
        }
    });
    rules.push_back(std::move(r));
  }
  return rules;
}

}  // namespace meterd::alerts
