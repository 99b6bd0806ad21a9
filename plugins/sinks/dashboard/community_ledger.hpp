#pragma once
// An energy community's period, 15 minutes at a time, from the history store: each member's
// consumption and production from its meters' register deltas (the dashboard's accounting
// rule, statistics.hpp), rounded to whole Wh on the running total so a period's Wh are its
// registers' difference; the local energy allocated per the community's rule
// (community_allocation.hpp); and what each interval costs per the price model. An interval
// where a member's meter has no data at all is left out for everyone (no energy is invented)
// and counted as unresolved; one whose energy is partly spread over a gap in the readings is
// allocated and counted as estimated.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "meterd/community.hpp"
#include "statistics.hpp"

namespace meterd::dashboard {

struct MemberLedger {
  std::int64_t consumption_wh = 0, production_wh = 0, allocated_wh = 0, grid_wh = 0, sold_wh = 0, fed_in_wh = 0;
  std::int64_t producer_import_wh = 0;  // what a producer's own meter drew, counted as its consumption
  std::int64_t estimated_wh = 0;        // of consumption and production, spread over gaps in the readings
  std::int64_t member_intervals = 0;    // intervals of the period it was a member in
  std::int64_t missing_intervals = 0, estimated_intervals = 0;
  std::int64_t first_missing_ms = 0, last_missing_ms = 0;
  std::int64_t first_day_ms = 0, end_ms = 0;  // its membership within the period
  // Money without VAT, per the price model at each interval's time.
  double grid_energy = 0, grid_usage = 0, grid_levies = 0;  // on grid_wh
  double local_usage_full = 0, local_usage = 0, local_levies = 0;  // LEG: on allocated_wh, `local_usage` discounted
  double local_external_value = 0;  // what allocated_wh would have cost from the grid: the legal cap's base
  double feed_in_credit = 0;        // on fed_in_wh, from the DSO
};

struct CommunityLedger {
  std::int64_t from_ms = 0, to_ms = 0;
  std::vector<MemberLedger> members;  // in the community's member order
  std::int64_t intervals = 0, unresolved_intervals = 0, estimated_intervals = 0;
  std::int64_t production_wh = 0, consumption_wh = 0, local_wh = 0, grid_wh = 0, fed_in_wh = 0;
};

// One resolved interval, for callers that list them (reconciliation with the DSO's data).
struct LedgerInterval {
  std::int64_t start_ms;
  const IntervalAllocation& allocation;
  const std::vector<std::int64_t>& consumption_wh;
  const std::vector<std::int64_t>& production_wh;
  bool estimated;
};

// One meter's register in one interval of its member's membership, resolved or not: the Wh
// the ledger counts for it (empty: the meter has no data there) and the part of them spread
// over a gap in the readings.
struct LedgerMeterInterval {
  std::int64_t start_ms;
  std::size_t member;
  const std::string& meter;
  Direction direction;
  std::optional<std::int64_t> wh;
  double estimated_wh;
};

// `each` sees every resolved interval, `each_meter` every meter's register in every interval
// of its member's membership (for comparing with the grid operator's data).
CommunityLedger run_ledger(const Community& community, const HistoryStore& store, const Statistics& stats,
                           std::int64_t from_ms, std::int64_t to_ms,
                           const std::function<void(const LedgerInterval&)>& each = {},
                           const std::function<void(const LedgerMeterInterval&)>& each_meter = {});

// UTC ms of local midnight starting the day `day` (days since 1970-01-01).
std::int64_t local_day_start_ms(std::int64_t day, const TimeZone& zone);

}  // namespace meterd::dashboard
