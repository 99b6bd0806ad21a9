#include "rule_units.hpp"

#include <cctype>
#include <charconv>
#include <map>
#include <stdexcept>

namespace meterd::alerts {
namespace {

const char* example(Dimension d) {
  switch (d) {
    case Dimension::power: return "a power such as 3 kW or 3000 W";
    case Dimension::energy: return "an energy such as 20 kWh or 500 Wh";
    case Dimension::voltage: return "a voltage such as 253 V";
    case Dimension::count: return "a number such as 10";
  }
  return "";
}

double scale_for(std::string_view unit, Dimension d) {
  static const std::map<std::string, std::pair<Dimension, double>, std::less<>> units{
      {"w", {Dimension::power, 1}},       {"kw", {Dimension::power, 1e3}},     {"mw", {Dimension::power, 1e6}},
      {"wh", {Dimension::energy, 1}},     {"kwh", {Dimension::energy, 1e3}},   {"mwh", {Dimension::energy, 1e6}},
      {"v", {Dimension::voltage, 1}},     {"kv", {Dimension::voltage, 1e3}}};
  std::string lower;
  for (char c : unit) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (d == Dimension::count && lower.empty()) return 1;
  const auto it = units.find(lower);
  if (it == units.end() || it->second.first != d) return 0;
  return it->second.second;
}

double parse_number(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) throw std::invalid_argument("");
  return value;
}

}  // namespace

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  auto kind = [](char c) {
    if (std::isspace(static_cast<unsigned char>(c))) return 0;
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+') return 1;
    return 2;
  };
  int last = 0;
  for (char c : text) {
    const int k = kind(c);
    if (k == 0 || (k != last && !current.empty() && !(last == 2 && k == 1 && current.back() == '_'))) {
      if (!current.empty()) words.push_back(current);
      current.clear();
    }
    if (k != 0) current += c;
    last = k;
  }
  if (!current.empty()) words.push_back(current);
  return words;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::string item;
  for (const char c : std::string(text) + ",") {
    if (c != ',') {
      item += c;
      continue;
    }
    const auto b = item.find_first_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, item.find_last_not_of(" \t") - b + 1));
    item.clear();
  }
  return out;
}

double parse_amount(std::string_view text, Dimension dimension) {
  const auto words = split_words(text);
  const std::string message = "'" + std::string(text) + "' is not " + example(dimension);
  if (words.empty() || words.size() > 2) throw std::invalid_argument(message);
  double scale = scale_for(words.size() == 2 ? words[1] : "", dimension);
  if (scale == 0) throw std::invalid_argument(message + (words.size() == 1 ? " (the unit is missing)" : ""));
  try {
    const double value = parse_number(words[0]) * scale;
    if (value < 0) throw std::invalid_argument("");
    return value;
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument(message);
  }
}

std::int64_t parse_duration_ms(std::string_view text) {
  static const std::map<std::string, std::int64_t, std::less<>> units{
      {"s", 1000},          {"sec", 1000},        {"second", 1000},      {"seconds", 1000},
      {"min", 60'000},      {"minute", 60'000},   {"minutes", 60'000},   {"h", 3'600'000},
      {"hour", 3'600'000},  {"hours", 3'600'000}, {"d", 86'400'000},     {"day", 86'400'000},
      {"days", 86'400'000}, {"week", 604'800'000}, {"weeks", 604'800'000}};
  const auto words = split_words(text);
  const std::string message =
      "'" + std::string(text) + "' is not a duration such as 30 s, 15 min, 2 h or 1 day (0 for none)";
  if (words.size() == 1 && words[0] == "0") return 0;
  if (words.size() != 2) throw std::invalid_argument(message);
  const auto unit = units.find(words[1]);
  if (unit == units.end()) throw std::invalid_argument(message);
  try {
    const double value = parse_number(words[0]);
    if (value < 0) throw std::invalid_argument("");
    return static_cast<std::int64_t>(value * static_cast<double>(unit->second));
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument(message);
  }
}

bool DailyWindow::contains(int minute) const {
  if (empty()) return false;
  if (start_minute < end_minute) return minute >= start_minute && minute < end_minute;
  return minute >= start_minute || minute < end_minute;
}

DailyWindow parse_window(std::string_view text) {
  if (text == "none" || text.empty()) return {};
  const std::string message = "'" + std::string(text) + "' is not a daily window such as 22:00-07:00 (or none)";
  auto clock = [&](std::string_view t) {
    const auto colon = t.find(':');
    if (colon == std::string_view::npos) throw std::invalid_argument(message);
    int h = 0, m = 0;
    const auto a = std::from_chars(t.data(), t.data() + colon, h);
    const auto b = std::from_chars(t.data() + colon + 1, t.data() + t.size(), m);
    if (a.ec != std::errc() || b.ec != std::errc() || a.ptr != t.data() + colon || b.ptr != t.data() + t.size() ||
        h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0))
      throw std::invalid_argument(message);
    return h * 60 + m;
  };
  std::string trimmed;
  for (char c : text) if (!std::isspace(static_cast<unsigned char>(c))) trimmed += c;
  const auto dash = trimmed.find('-');
  if (dash == std::string::npos) throw std::invalid_argument(message);
  DailyWindow w{clock(std::string_view(trimmed).substr(0, dash)) % 1440,
                clock(std::string_view(trimmed).substr(dash + 1)) % 1440};
  return w;
}

}  // namespace meterd::alerts
