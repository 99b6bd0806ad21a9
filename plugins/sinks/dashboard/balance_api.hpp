#pragma once
// The household energy balance over HTTP, from the sink's `meter_roles`: `balance` (import,
// export, production, self-consumption, consumption, self-sufficiency and sub-meter shares per
// calendar period, each the sum of its 15-min intervals) and `balance-now` (the live power
// flows between grid, PV, battery and house). A share sees the balance of its own meters
// only: role meters outside it count as not configured, so nothing about them leaks.
#include <cstdint>
#include <functional>

#include "access_control.hpp"
#include "live_feed.hpp"
#include "meter_names.hpp"
#include "meterd/http/query.hpp"
#include "meterd/http/router.hpp"
#include "meterd/meter_roles.hpp"
#include "statistics.hpp"

namespace meterd::dashboard {

class BalanceApi {
 public:
  BalanceApi(const HistoryStore& store, const Statistics& stats, const LiveFeed& live, MeterRoles roles,
             const MeterNames& names, std::int64_t offline_after_ms, std::function<std::int64_t()> clock)
      : store_(store), stats_(stats), live_(live), roles_(std::move(roles)), names_(names),
        offline_after_ms_(offline_after_ms), clock_(std::move(clock)) {}

  http::Response periods(http::Request& request, const Access& access) const;
  http::Response now(http::Request& request, const Access& access) const;

 private:
  // The role meters this request balances: inside the access's scope and, when the request
  // names meters, among them.
  std::vector<RoleEntry> roles_for(const http::QueryParams& q, const Access& access) const;
  nlohmann::json roles_json(const std::vector<RoleEntry>& roles) const;

  const HistoryStore& store_;
  const Statistics& stats_;
  const LiveFeed& live_;
  MeterRoles roles_;
  const MeterNames& names_;
  std::int64_t offline_after_ms_;
  std::function<std::int64_t()> clock_;
};

}  // namespace meterd::dashboard
