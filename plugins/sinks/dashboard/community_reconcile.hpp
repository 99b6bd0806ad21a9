#pragma once
// Reconciling meterd's figures with the grid operator's: for each member meter with a
// `community_reference`, its 15-min energy as the community ledger counts it (the Wh the bills
// are made of) against the operator's own 15-min values imported into the store under the
// reference's id. Every interval of the meter's membership is compared; those that differ by
// more than the community's tolerance, and those that one side lacks, are listed.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "meterd/community.hpp"
#include "statistics.hpp"

namespace meterd::dashboard {

enum class IntervalMatch { differs, missing_operator, missing_meterd };

struct ReconciledInterval {
  std::int64_t start_ms = 0;
  IntervalMatch match = IntervalMatch::differs;
  std::optional<std::int64_t> meterd_wh;
  std::optional<double> operator_wh;
  bool estimated = false;  // meterd's Wh are partly spread over a gap in the readings
};

// One register (import or export) of one member's meter.
struct MeterReconciliation {
  std::string member, meter, operator_id;
  Direction direction = Direction::import_energy;
  bool operator_data = true;  // false: the operator id has no imported intervals at all
  std::int64_t intervals = 0;  // 15-min intervals of the membership in the period
  std::int64_t compared = 0, differing = 0, missing_operator = 0, missing_meterd = 0, estimated = 0;
  std::int64_t meterd_wh = 0;  // over the compared intervals
  double operator_wh = 0, difference_wh = 0;  // difference: meterd minus operator
  std::int64_t not_15_min = 0;  // operator intervals of another length, not compared
  std::vector<ReconciledInterval> listed;
};

struct Reconciliation {
  double tolerance_wh = 1;
  std::vector<MeterReconciliation> meters;  // in member order
  std::vector<std::string> unreferenced;    // member meters without operator data configured
};

Reconciliation reconcile(const Community& community, const HistoryStore& store, const Statistics& stats,
                         std::int64_t from_ms, std::int64_t to_ms);
nlohmann::json reconciliation_json(const Reconciliation& r, const std::string& period, const TimeZone& zone);
// The listed intervals, one row each, then one total row per meter.
std::string reconciliation_csv(const Reconciliation& r, const TimeZone& zone);

}  // namespace meterd::dashboard
