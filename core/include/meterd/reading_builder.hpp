#pragma once
// Turns a decoder's DecodedMessage into a bus Reading, the one conversion every meter
// source uses, so readings from DLMS, DSMR and SML look alike downstream.
#include <memory>
#include <string>

#include "meterd/decoded_message.hpp"
#include "meterd/v1/bus.pb.h"

namespace meterd {
class TimeZone;

// `fallback_meter_id` is used when the message carries no identity (many Swiss pushes
// carry none in every message). Meter times without an offset are placed in `zone`.
v1::Reading to_reading(const DecodedMessage& message, const std::string& fallback_meter_id,
                       const TimeZone& zone);

// UTC milliseconds of a meter time, resolving a missing offset in `zone` (the earlier instant
// in the repeated autumn hour unless the DST flag says otherwise). Empty in a DST gap.
std::optional<std::int64_t> meter_time_to_utc_ms(const MeterTime& t, const TimeZone& zone);

}  // namespace meterd
