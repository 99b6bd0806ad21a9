#pragma once
// Payloads published per reading: the JSON state, single values and the OBIS bundle. Numbers
// use the units of meterd::sink::normalize_unit (W, kWh, V, ...), the units announced to
// Home Assistant.
#include <string>
#include <utility>
#include <vector>

#include "meterd/v1/bus.pb.h"

namespace meterd::mqtt {

// When the reading was taken: the meter's clock if it sent one, else the receive time.
std::int64_t reading_time_ms(const v1::Reading& reading);
std::string iso8601_utc(std::int64_t ms);

// {"id": "...", "time": "2023-11-14T22:13:20.000Z", "<key>": value, ...}
std::string state_json(const v1::Reading& reading);
// (key, payload) for the per-value topics.
std::vector<std::pair<std::string, std::string>> single_values(const v1::Reading& reading);
// {"meter": {"ts": "...", "<obis>": value, ...}} with values as the meter sent them.
std::string bundle_json(const v1::Reading& reading);

}  // namespace meterd::mqtt
