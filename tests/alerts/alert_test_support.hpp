#pragma once
// Rules from config text and readings with chosen timestamps, for driving the alert engine
// on simulated data.
#include <boost/program_options/variables_map.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "alert_engine.hpp"
#include "meterd/v1/bus.pb.h"

namespace meterd::alerts::test {

// {"alert.x.when": "power above 3 kW", ...} as the config would give them.
boost::program_options::variables_map options_of(const std::map<std::string, std::string>& settings);
std::vector<Rule> rules_of(const std::map<std::string, std::string>& settings, const std::vector<std::string>& meters = {});

// A reading of `meter` at `time_ms` (meter clock and receipt) with (quantity, value, unit) triples.
struct Quantity {
  std::string quantity;
  double value;
  std::string unit;
};
v1::Reading reading_at(const std::string& meter, std::int64_t time_ms, const std::vector<Quantity>& values);
v1::Diagnostic counters_at(const std::string& instance_section, std::int64_t time_ms, const std::string& counter, double value);

// UTC ms of an ISO-8601 instant with offset, e.g. "2026-03-29T01:00:00+01:00".
std::int64_t at(const std::string& iso);

}  // namespace meterd::alerts::test
