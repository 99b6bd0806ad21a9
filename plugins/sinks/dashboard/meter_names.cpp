#include "meter_names.hpp"

#include <stdexcept>

#include "meterd/trimmed.hpp"

namespace meterd::dashboard {

MeterNames MeterNames::parse(std::string_view text) {
  MeterNames out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto entry = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (trimmed(entry).empty()) continue;
    const auto eq = entry.find('=');
    const auto id = trimmed(entry.substr(0, eq));
    const auto name = eq == std::string_view::npos ? std::string{} : trimmed(entry.substr(eq + 1));
    if (id.empty() || name.empty())
      throw std::invalid_argument("option 'meter_names': '" + trimmed(entry) +
                                  "' is not ID=Name (e.g. LGZ1030000000001=House, LGZ1030000000002=Heat pump)");
    if (name.size() > 64) throw std::invalid_argument("option 'meter_names': the name for '" + id + "' is longer than 64 characters");
    if (!out.names_.emplace(id, name).second)
      throw std::invalid_argument("option 'meter_names': meter '" + id + "' is named twice");
  }
  return out;
}

const std::string& MeterNames::of(const std::string& id) const {
  const auto it = names_.find(id);
  return it == names_.end() ? id : it->second;
}

}  // namespace meterd::dashboard
