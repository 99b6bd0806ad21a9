#pragma once
// COSEM date-time (12 bytes) and its conversion to a MeterTime using the configured zone.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "meterd/decoded_message.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dlms {

struct CosemDateTime {
  static constexpr int kUnspecified = -1;
  int year = kUnspecified;  // 0xFFFF on the wire
  int month = kUnspecified, day = kUnspecified, weekday = kUnspecified;
  int hour = kUnspecified, minute = kUnspecified, second = kUnspecified, hundredths = kUnspecified;
  std::optional<int> deviation;  // minutes, UTC = local + deviation; empty for 0x8000
  std::optional<std::uint8_t> status;  // empty for 0xFF

  // Year, month, day, hour, minute and second all given as plain values (no wildcards).
  bool has_wall_clock() const;
  bool dst_flag() const { return status && (*status & 0x80) != 0; }
};

// Parses 12 bytes; empty when a field is out of range (the §8.4 plausibility check:
// month 1-12/FD/FE/FF, day 1-31/FD/FE/FF, hour <= 23/FF, minute and second <= 59/FF).
std::optional<CosemDateTime> parse_cosem_datetime(std::span<const std::uint8_t> bytes);

std::array<std::uint8_t, 12> encode_cosem_datetime(const CosemDateTime& t);

// Turns meter wall-clock readings into MeterTimes. Deviation stated -> offset from the frame;
// 0x8000 -> the configured zone, the repeated autumn hour resolved by the DST bit or, lacking
// it, by receive order (hence stateful: one converter per stream).
class CosemTimeConverter {
 public:
  explicit CosemTimeConverter(std::shared_ptr<const TimeZone> zone) : zone_(std::move(zone)) {}

  // `standard_time_only`: the meter keeps local standard time all year (Kamstrup).
  std::optional<MeterTime> to_meter_time(const CosemDateTime& t, bool standard_time_only = false);
  const TimeZone& zone() const { return *zone_; }

 private:
  int zone_offset_seconds(const CosemDateTime& t, std::int64_t local_seconds, bool standard_time_only);
  std::shared_ptr<const TimeZone> zone_;
  std::optional<std::int64_t> last_utc_;
};

}  // namespace meterd::dlms
