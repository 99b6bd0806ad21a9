#pragma once
// Numbers with units as an owner writes them in a rule: "3 kW", "3000 W", "250 V",
// "20 kWh", "15 min", "22:00-06:00". Each parser returns the base unit (W, Wh, V, ms, minute
// of the day) and throws std::invalid_argument saying what a valid value looks like.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace meterd::alerts {

enum class Dimension { power, energy, voltage, count };

double parse_amount(std::string_view text, Dimension dimension);
std::int64_t parse_duration_ms(std::string_view text);
// "22:00-07:00" (may wrap midnight) or "none".
struct DailyWindow {
  int start_minute = 0, end_minute = 0;  // equal: no window
  bool empty() const { return start_minute == end_minute; }
  bool contains(int minute_of_day) const;
};
DailyWindow parse_window(std::string_view text);

// "3kW above" -> {"3", "kW", "above"}: numbers and units split, lower case kept for words.
std::vector<std::string> split_words(std::string_view text);
// "a, b ,c" -> {"a", "b", "c"}: comma-separated lists (recipients, channels, meters).
std::vector<std::string> split_list(std::string_view text);

}  // namespace meterd::alerts
