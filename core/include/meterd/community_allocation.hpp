#pragma once
// How an energy community (ZEV, vZEV, LEG) shares its local production in one 15-minute
// interval, in whole Wh so that every identity holds exactly:
//
//   local      = min(production, consumption)           energy used inside the community
//   each participant:  consumption = allocated + grid    (grid: what it still draws from the grid)
//                      production  = sold + fed in       (sold: its part of the local energy)
//   community:         production  = local + fed in,  consumption = local + grid
//
// The local energy is allocated to consumers by the community's rule (below) and attributed to
// producers in proportion to what each produced; both splits round with the largest remainder
// method (largest_remainder.hpp), so they add up to the Wh. Pure: the caller reads the meters.
#include <cstdint>
#include <vector>

namespace meterd {

enum class AllocationRule {
  proportional,  // in proportion to each consumer's consumption in the interval (the default)
  shares,        // fixed shares of the production, capped at each one's consumption; what a
                 // consumer cannot take goes to the others in proportion to their shares
  priority,      // rank 1 first, then rank 2, ...; equal ranks share in proportion to consumption
};

// The rule and its parameters, one entry per participant (unused ones ignored).
struct AllocationKey {
  AllocationRule rule = AllocationRule::proportional;
  std::vector<double> shares;  // shares: weights, any positive scale
  std::vector<int> ranks;      // priority: 1 is served first; 0 (no rank) comes after all ranks
};

struct IntervalAllocation {
  std::int64_t production_wh = 0, consumption_wh = 0, local_wh = 0, grid_wh = 0, fed_in_wh = 0;
  std::vector<std::int64_t> allocated_wh, grid_draw_wh;  // per participant, of its consumption
  std::vector<std::int64_t> sold_wh, fed_in_per_wh;      // per participant, of its production
};

// `consumption_wh` and `production_wh`: each participant's energy in the interval (0 where it
// has no such register or is not a member then); all not negative, same length as the key's
// vectors where the rule uses them. Throws std::invalid_argument on negative or unequal inputs.
IntervalAllocation allocate_interval(const std::vector<std::int64_t>& consumption_wh,
                                     const std::vector<std::int64_t>& production_wh, const AllocationKey& key);

}  // namespace meterd
