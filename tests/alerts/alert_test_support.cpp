#include "alert_test_support.hpp"

#include <boost/any.hpp>
#include <stdexcept>

#include "meterd/time_zone.hpp"

namespace meterd::alerts::test {

boost::program_options::variables_map options_of(const std::map<std::string, std::string>& settings) {
  boost::program_options::variables_map vm;
  for (const auto& [key, value] : settings)
    vm.insert({key, boost::program_options::variable_value(boost::any(value), false)});
  return vm;
}

std::vector<Rule> rules_of(const std::map<std::string, std::string>& settings, const std::vector<std::string>& meters) {
  RuleDefaults defaults;
  defaults.cooldown_ms = 15 * 60'000;
  return read_rules(options_of(settings), defaults, meters, {"webhook", "email", "mqtt"});
}

v1::Reading reading_at(const std::string& meter, std::int64_t time_ms, const std::vector<Quantity>& values) {
  v1::Reading r;
  r.set_meter_id(meter);
  r.set_source("test");
  r.set_meter_time_ms(time_ms);
  r.set_received_ms(time_ms);
  for (const auto& q : values) {
    auto* v = r.add_values();
    v->set_quantity(q.quantity);
    v->set_number(q.value);
    v->set_unit(q.unit);
  }
  return r;
}

v1::Diagnostic counters_at(const std::string& section, std::int64_t time_ms, const std::string& counter, double value) {
  v1::Diagnostic d;
  d.set_code("counters");
  d.set_source(section);
  d.set_time_ms(time_ms);
  (*d.mutable_counters())[counter] = value;
  return d;
}

std::int64_t at(const std::string& iso) {
  // YYYY-MM-DDTHH:MM:SS+HH:MM
  if (iso.size() != 25) throw std::invalid_argument("time must look like 2026-03-29T01:00:00+01:00: " + iso);
  CivilTime c{std::stoi(iso.substr(0, 4)), std::stoi(iso.substr(5, 2)), std::stoi(iso.substr(8, 2)),
              std::stoi(iso.substr(11, 2)), std::stoi(iso.substr(14, 2)), std::stoi(iso.substr(17, 2))};
  const int sign = iso[19] == '-' ? -1 : 1;
  const int offset = sign * (std::stoi(iso.substr(20, 2)) * 3600 + std::stoi(iso.substr(23, 2)) * 60);
  return (civil_to_seconds(c) - offset) * 1000;
}

}  // namespace meterd::alerts::test
