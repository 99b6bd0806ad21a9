#pragma once
// DSMR timestamps are meter-local wall clock plus an S/W (summer/winter) flag, no offset.
#include <optional>

#include "meterd/decoded_message.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dsmr {

// The offset comes from the configured zone; the DST flag picks the right instant in the
// repeated autumn hour. Left unknown when the wall clock does not exist in the zone.
MeterTime make_local_meter_time(const CivilTime& wall, std::optional<bool> dst, const TimeZone& zone);

}  // namespace meterd::dsmr
