#pragma once
// Stable identities for imported values: the same value imported twice - from the same file
// or an overlapping export - gets the same Reading.id, so sinks that upsert keep one copy.
#include <cstdint>
#include <string>
#include <string_view>

namespace meterd::csv_table {

// 16 hex digits of a 64-bit FNV-1a hash over meter id, time (interval start for interval
// data), quantity and tariff. Not cryptographic; collisions only matter within one meter.
std::string reading_id(std::string_view meter_id, std::int64_t time_ms, std::string_view quantity,
                       std::string_view tariff);

}  // namespace meterd::csv_table
