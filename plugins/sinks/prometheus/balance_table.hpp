#pragma once
// The household energy balance from the role meters' readings (`meter_roles`), for Prometheus:
// today's self-sufficiency, self-consumption and energy flows since local midnight, and the
// current power flows. Registers are interpolated at each 15-minute boundary, the balance is
// made per interval by the core's energy_balance and summed, as the dashboard does; only what
// this process has seen since it started counts, and the coverage says how much of the day
// that is. All members may be called from any thread.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "exposition.hpp"
#include "meterd/meter_roles.hpp"
#include "meterd/time_zone.hpp"
#include "meterd/v1/bus.pb.h"

namespace meterd::prometheus {

class BalanceTable {
 public:
  BalanceTable(MeterRoles roles, std::shared_ptr<const TimeZone> zone, std::int64_t staleness_ms)
      : roles_(std::move(roles)), zone_(std::move(zone)), staleness_ms_(staleness_ms) {}

  // Takes the registers and powers of a role meter's reading; false for any other meter.
  bool update(const v1::Reading& reading);
  // The balance metrics at `now_ms` (Unix ms); nothing when no roles are configured.
  void append_to(FamilySet& out, std::int64_t now_ms) const;

 private:
  struct Register {
    std::int64_t t_ms = 0;
    double wh = 0;
    std::map<std::int64_t, double> at_boundary;  // interpolated register at 15-min boundaries
  };
  struct Power {
    std::int64_t t_ms = 0;
    double w = 0;
  };
  struct MeterState {
    std::map<bool, Register> registers;  // true: export
    std::map<bool, Power> powers;
  };
  void add_register(Register& r, std::int64_t t_ms, double wh);

  MeterRoles roles_;
  std::shared_ptr<const TimeZone> zone_;
  std::int64_t staleness_ms_;
  mutable std::mutex mutex_;
  std::map<std::string, MeterState, std::less<>> meters_;
};

}  // namespace meterd::prometheus
