#include "meterd/dlms/positional_layout.hpp"

#include <charconv>
#include <stdexcept>
#include <string>
#include <vector>

#include "meterd/dlms/obis_catalogue.hpp"

namespace meterd::dlms {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Entries in order; a comment runs to the end of its line.
std::vector<std::string_view> entries_of(std::string_view text) {
  std::vector<std::string_view> entries;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    if (trimmed(line).empty()) continue;  // blank and comment lines are not elements
    for (std::size_t start = 0;;) {
      const auto comma = line.find(',', start);
      entries.push_back(trimmed(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  return entries;
}

}  // namespace

void apply_positional_layout(std::string_view text, DlmsConfig& config) {
  std::vector<std::string> table;
  for (std::string_view entry : entries_of(text)) {
    const std::size_t position = table.size() + 1;
    const auto fail = [&](const std::string& why) {
      return std::invalid_argument("positional layout, element " + std::to_string(position) + " '" +
                                   std::string(entry) + "': " + why +
                                   " (give an OBIS code like 1-0:1.7.0 with an optional scaler, meter_id, time or skip)");
    };
    if (entry.empty() || entry == "skip") {
      table.emplace_back();
      continue;
    }
    if (entry == "meter_id" || entry == "time") {
      table.emplace_back(entry);
      continue;
    }
    const auto space = entry.find_first_of(" \t");
    const std::string_view code_text = entry.substr(0, space);
    const auto code = Obis::parse(code_text);
    if (!code) throw fail("not an OBIS code");
    if (space != std::string_view::npos) {
      const std::string_view scaler_text = trimmed(entry.substr(space));
      int scaler = 0;
      const auto [end, ec] = std::from_chars(scaler_text.data(), scaler_text.data() + scaler_text.size(), scaler);
      if (ec != std::errc() || end != scaler_text.data() + scaler_text.size() || scaler < -9 || scaler > 9)
        throw fail("the scaler must be a whole number from -9 to 9");
      config.scaler_overrides[std::string(code_text)] = scaler;
    }
    table.emplace_back(code_text);
  }
  if (table.empty()) throw std::invalid_argument("positional layout is empty: give one entry per list element");
  config.positional_obis = std::move(table);
}

}  // namespace meterd::dlms
