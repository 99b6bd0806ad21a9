#pragma once
// SML_Time: list(2) {1 = secIndex, 2 = UTC timestamp, 3 = local timestamp list(3)}, or a bare
// 32-bit number (Holley DTZ541). Only timestamps are clock times; a secIndex counts seconds
// from an arbitrary start and yields nothing.
#include <optional>

#include "meterd/decoded_message.hpp"
#include "meterd/time_zone.hpp"
#include "sml_tl_reader.hpp"

namespace meterd::sml {

std::optional<MeterTime> sml_clock_time(const SmlNode& time, const TimeZone& zone);

}  // namespace meterd::sml
