#include "meterd/meter_roles.hpp"

#include <stdexcept>

#include "meterd/trimmed.hpp"

namespace meterd {
namespace {
struct KnownRole {
  const char* word;
  MeterRole role;
};
// heat_pump, ev and consumer are all sub-meters; the word only names them for people.
constexpr KnownRole kRoles[] = {{"grid", MeterRole::grid},          {"pv", MeterRole::pv},
                                {"battery", MeterRole::battery},    {"heat_pump", MeterRole::consumer},
                                {"ev", MeterRole::consumer},        {"consumer", MeterRole::consumer}};
constexpr const char* kRoleList = "grid, pv, battery, heat_pump, ev or consumer";
}  // namespace

MeterRoles MeterRoles::parse(std::string_view text) {
  MeterRoles out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto entry = trimmed(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (entry.empty()) continue;
    const auto eq = entry.find('=');
    const auto meter = trimmed(std::string_view(entry).substr(0, eq));
    const auto word = eq == std::string::npos ? std::string{} : trimmed(std::string_view(entry).substr(eq + 1));
    if (meter.empty() || word.empty())
      throw std::invalid_argument("option 'meter_roles': '" + entry + "' is not ID=role (e.g. LGZ1030000000001=grid, LGZ1030000000002=pv)");
    const KnownRole* known = nullptr;
    for (const auto& r : kRoles)
      if (word == r.word) known = &r;
    if (!known)
      throw std::invalid_argument("option 'meter_roles': '" + word + "' for meter '" + meter + "' is not a role; use " + kRoleList);
    if (out.find(meter))
      throw std::invalid_argument("option 'meter_roles': meter '" + meter + "' has a role twice; give each meter one role");
    if (known->role == MeterRole::grid && out.grid())
      throw std::invalid_argument("option 'meter_roles': meters '" + *out.grid() + "' and '" + meter +
                                  "' are both grid; a balance has one grid connection point: give the other meter "
                                  "another role, or balance each site in its own sink with `meters =`");
    out.entries_.push_back({meter, known->role, word});
  }
  return out;
}

const RoleEntry* MeterRoles::find(std::string_view meter) const {
  for (const auto& e : entries_)
    if (e.meter == meter) return &e;
  return nullptr;
}

std::optional<std::string> MeterRoles::grid() const {
  for (const auto& e : entries_)
    if (e.role == MeterRole::grid) return e.meter;
  return std::nullopt;
}

std::vector<std::string> MeterRoles::of(MeterRole role) const {
  std::vector<std::string> out;
  for (const auto& e : entries_)
    if (e.role == role) out.push_back(e.meter);
  return out;
}

}  // namespace meterd
