#pragma once
// What each meter measures in a household's energy balance, from a sink's `meter_roles`
// option: "ID=grid, ID=pv, ID=heat_pump". One grid connection point (import and export),
// production meters (pv), storage (battery) and sub-meters inside the house (heat_pump, ev,
// consumer). A meter not named has no role and takes no part in the balance.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meterd {

enum class MeterRole { grid, pv, battery, consumer };

struct RoleEntry {
  std::string meter;
  MeterRole role = MeterRole::consumer;
  std::string kind;  // the word configured: grid, pv, battery, heat_pump, ev or consumer
};

class MeterRoles {
 public:
  // Throws std::invalid_argument saying which entry is wrong and what to write instead:
  // an entry that is not ID=role, an unknown role, a meter named twice, a second grid meter.
  static MeterRoles parse(std::string_view text);

  bool empty() const { return entries_.empty(); }
  const std::vector<RoleEntry>& entries() const { return entries_; }
  const RoleEntry* find(std::string_view meter) const;
  std::optional<std::string> grid() const;
  std::vector<std::string> of(MeterRole role) const;

 private:
  std::vector<RoleEntry> entries_;  // in the order configured
};

}  // namespace meterd
