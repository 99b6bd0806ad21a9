#include "value_target.hpp"

#include <map>
#include <sstream>
#include <stdexcept>

#include "meterd/obis_quantity.hpp"
#include "meterd/sink/value_kind.hpp"

namespace meterd::mqtt_source {
namespace {

// Every electricity code of the table, enumerated once: quantity -> code and unit. The first
// code found for a quantity wins (B = 0, the total before tariffs).
const std::map<std::string, CatalogueEntry, std::less<>>& catalogue() {
  static const auto table = [] {
    std::map<std::string, CatalogueEntry, std::less<>> out;
    for (int c = 1; c <= 91; ++c) {
      for (int d : {7, 8, 4, 6}) {
        for (int e = 0; e <= 9; ++e) {
          const auto q = lookup_obis_quantity(1, 0, c, d, e);
          if (!q || q->quantity.empty()) continue;
          const std::string code =
              "1-0:" + std::to_string(c) + "." + std::to_string(d) + "." + std::to_string(e);
          out.emplace(std::string(q->quantity), CatalogueEntry{code, std::string(q->unit)});
        }
      }
    }
    return out;
  }();
  return table;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

UnitScale unit_scale(std::string_view unit) {
  static const std::map<std::string, UnitScale, std::less<>> scales{
      {"W", {"W", 1}},         {"kW", {"W", 1e3}},       {"MW", {"W", 1e6}},      {"Wh", {"Wh", 1}},
      {"kWh", {"Wh", 1e3}},    {"MWh", {"Wh", 1e6}},     {"var", {"var", 1}},     {"kvar", {"var", 1e3}},
      {"varh", {"varh", 1}},   {"kvarh", {"varh", 1e3}}, {"VA", {"VA", 1}},       {"kVA", {"VA", 1e3}},
      {"VAh", {"VAh", 1}},     {"kVAh", {"VAh", 1e3}},   {"V", {"V", 1}},         {"A", {"A", 1}},
      {"Hz", {"Hz", 1}},       {"", {"", 1}},            {"m3", {"m3", 1}},       {"m³", {"m3", 1}}};
  const auto it = scales.find(unit);
  return it == scales.end() ? UnitScale{} : it->second;
}

std::optional<CatalogueEntry> catalogue_entry(std::string_view quantity) {
  const auto& table = catalogue();
  const auto it = table.find(quantity);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

ValueTarget parse_value_target(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string name, units, extra;
  in >> name >> units >> extra;
  if (name.empty() || !extra.empty())
    throw std::invalid_argument("'" + std::string(text) +
                                "': write '<OBIS code or quantity> <unit>', e.g. '1-0:1.8.0 kWh' or '1-0:1.8.0 Wh->kWh'");
  ValueTarget target;
  std::string catalogue_unit;
  if (const auto code = sink::parse_obis(name)) {
    const auto q = lookup_obis_quantity(code->a, code->b, code->c, code->d, code->e);
    if (!q) throw std::invalid_argument("'" + name + "': an OBIS code meterd has no quantity for; use a catalogue quantity name");
    target.obis = name;
    target.quantity = std::string(q->quantity);
    catalogue_unit = std::string(q->unit);
  } else if (const auto entry = catalogue_entry(name)) {
    target.obis = entry->obis;
    target.quantity = name;
    catalogue_unit = entry->unit;
  } else {
    throw std::invalid_argument("'" + name + "': neither an OBIS code (A-B:C.D.E) nor a known quantity such as "
                                "active_energy_import or active_power_import");
  }
  const auto arrow = units.find("->");
  target.unit_in = trim(units.substr(0, arrow));
  target.unit_out = arrow == std::string::npos ? target.unit_in : trim(units.substr(arrow + 2));
  const UnitScale in_scale = unit_scale(target.unit_in);
  const UnitScale out_scale = unit_scale(target.unit_out);
  const UnitScale expected = unit_scale(catalogue_unit);
  for (const auto* unit : {&target.unit_in, &target.unit_out}) {
    if (unit_scale(*unit).base != expected.base || (unit_scale(*unit).base.empty() && !unit->empty())) {
      throw std::invalid_argument("'" + std::string(text) + "': unit '" + *unit + "' does not fit " + name +
                                  " (" + target.quantity + ", measured in " +
                                  (catalogue_unit.empty() ? std::string("no unit") : "k" + catalogue_unit + " or " + catalogue_unit) +
                                  ")");
    }
  }
  target.factor = in_scale.factor / out_scale.factor;
  return target;
}

}  // namespace meterd::mqtt_source
