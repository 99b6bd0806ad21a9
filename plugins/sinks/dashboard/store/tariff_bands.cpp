#include "tariff_bands.hpp"

#include <stdexcept>

namespace meterd::dashboard {

namespace {
constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::uint8_t kNone = 0xff;
constexpr std::size_t kMaxBands = 16;

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

[[noreturn]] void refuse(std::string_view part, const std::string& why) {
  throw std::invalid_argument("option 'bands': '" + std::string(part) + "' " + why +
                              "; write e.g. 'peak: Mon-Fri 17-21; day: Mon-Fri 07-17, Sat 07-13; night: rest'");
}

bool is_name(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return name.front() >= 'a' && name.front() <= 'z';
}

std::string slot_name(std::size_t day, std::size_t hour) {
  return std::string(kDays[day]) + " " + (hour < 10 ? "0" : "") + std::to_string(hour) + ":00";
}
}  // namespace

BandSchedule BandSchedule::parse(std::string_view text) {
  BandSchedule out;
  text = trim(text);
  out.text_ = text;
  for (auto& day : out.band_) day.fill(kNone);
  std::size_t rest = kNone;
  while (!text.empty()) {
    const auto semi = text.find(';');
    const auto part = trim(text.substr(0, semi));
    text = semi == std::string_view::npos ? std::string_view{} : trim(text.substr(semi + 1));
    const auto colon = part.find(':');
    if (colon == std::string_view::npos) refuse(part, "has no 'name:' before its hours");
    const auto name = trim(part.substr(0, colon));
    const auto hours = trim(part.substr(colon + 1));
    // Answers name a band's fields <band>_wh and <band>_cost beside estimated_wh and dynamic_wh.
    if (!is_name(name) || name == "price" || name == "estimated" || name == "dynamic")
      refuse(part, "has the name '" + std::string(name) +
                       "'; a band's name is lower-case letters, digits and _, not price, estimated or dynamic");
    for (const auto& n : out.names_)
      if (n == name) refuse(part, "repeats the band '" + std::string(name) + "'");
    if (out.names_.size() == kMaxBands) refuse(part, "is one band too many (at most 16)");
    const auto index = static_cast<std::uint8_t>(out.names_.size());
    out.names_.emplace_back(name);
    out.hours_.emplace_back(hours);
    if (hours == "rest") {
      if (rest != kNone) refuse(part, "is a second band of the 'rest' hours");
      rest = index;
      continue;
    }
    TariffSchedule grid;
    try {
      grid = TariffSchedule::parse(hours);
    } catch (const std::invalid_argument& e) {
      refuse(part, std::string("has hours that do not parse (") + e.what() + ")");
    }
    if (grid.empty()) refuse(part, "has no hours; give them like 'Mon-Fri 07-20' or 'rest'");
    for (std::size_t d = 0; d < 7; ++d)
      for (std::size_t h = 0; h < 24; ++h) {
        if (!grid.has(static_cast<int>(d), static_cast<int>(h))) continue;
        auto& slot = out.band_[d][h];
        if (slot != kNone)
          refuse(part, "claims " + slot_name(d, h) + ", which is already in band '" + out.names_[slot] + "'");
        slot = index;
      }
  }
  if (out.names_.empty()) return out;
  for (std::size_t d = 0; d < 7; ++d)
    for (std::size_t h = 0; h < 24; ++h) {
      auto& slot = out.band_[d][h];
      if (slot != kNone) continue;
      if (rest == kNone)
        refuse(out.text_, "leaves " + slot_name(d, h) + " in no band; add a band with the hours 'rest'");
      slot = static_cast<std::uint8_t>(rest);
    }
  return out;
}

BandSchedule BandSchedule::high_low(const TariffSchedule& ht) {
  BandSchedule out;
  if (ht.empty()) return out;
  out.names_ = {"ht", "nt"};
  out.hours_ = {ht.text(), "rest"};
  out.text_ = ht.text();
  for (std::size_t d = 0; d < 7; ++d)
    for (std::size_t h = 0; h < 24; ++h) out.band_[d][h] = ht.has(static_cast<int>(d), static_cast<int>(h)) ? 0 : 1;
  return out;
}

int BandSchedule::hours_per_week(std::size_t band) const {
  int n = 0;
  for (const auto& day : band_)
    for (auto b : day) n += b == band ? 1 : 0;
  return n;
}

}  // namespace meterd::dashboard
