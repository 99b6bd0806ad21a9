#pragma once
// A meter's power in one direction now, from the live feed's latest values: what the balance's
// live flows and the community's live view both read, so they agree on every meter.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "statistics.hpp"

namespace meterd::dashboard {

// In W; none when the meter's reading is older than `offline_after_ms` (it cannot be trusted)
// or it has none. A direction the meter does not measure (an import-only meter's export) is 0
// while its other direction is live.
std::optional<double> live_power(const HistoryStore& store, const nlohmann::json& latest, const std::string& meter,
                                 Direction direction, std::int64_t now_ms, std::int64_t offline_after_ms);

}  // namespace meterd::dashboard
