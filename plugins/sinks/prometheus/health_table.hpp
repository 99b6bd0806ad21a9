#pragma once
// meterd's own health as the core reports it on the bus: the periodic "counters" Diagnostics
// of every plugin instance and of the bus, plus a count of every other Diagnostic by instance,
// code and severity (decode errors, delivery failures, ...). Any thread may call any member.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "exposition.hpp"
#include "meterd/v1/bus.pb.h"

namespace meterd::prometheus {

class HealthTable {
 public:
  void update(const v1::Diagnostic& diagnostic);
  void append_to(FamilySet& out) const;

 private:
  mutable std::mutex mutex_;
  // instance ("source.kitchen", "sink.influx") -> latest counters from its "counters" report
  std::map<std::string, std::map<std::string, double>> instances_;
  std::map<std::string, double> bus_;
  // (instance, code, severity) -> Diagnostics seen since this sink started
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> diagnostics_;
};

}  // namespace meterd::prometheus
