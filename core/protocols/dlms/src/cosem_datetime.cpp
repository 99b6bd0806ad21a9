#include "meterd/dlms/cosem_datetime.hpp"

#include <algorithm>

#include "meterd/wall_clock_time.hpp"

namespace meterd::dlms {
namespace {

constexpr std::uint8_t kNotSpecified = 0xFF;

bool in_range_or_special(std::uint8_t v, int lo, int hi, bool allow_dst_markers) {
  if (v == kNotSpecified) return true;
  if (allow_dst_markers && (v == 0xFD || v == 0xFE)) return true;
  return v >= lo && v <= hi;
}

int field(std::uint8_t v) { return v == kNotSpecified ? CosemDateTime::kUnspecified : v; }

}  // namespace

bool CosemDateTime::has_wall_clock() const {
  return year != kUnspecified && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 &&
         minute >= 0 && second >= 0;
}

std::optional<CosemDateTime> parse_cosem_datetime(std::span<const std::uint8_t> b) {
  if (b.size() != 12) return std::nullopt;
  if (!in_range_or_special(b[2], 1, 12, true) || !in_range_or_special(b[3], 1, 31, true) ||
      !in_range_or_special(b[5], 0, 23, false) || !in_range_or_special(b[6], 0, 59, false) ||
      !in_range_or_special(b[7], 0, 59, false) || !in_range_or_special(b[8], 0, 99, false))
    return std::nullopt;
  // Weekday 0 is not in the standard but Aidon sends it; anything above 7 is not a date.
  if (b[4] > 7 && b[4] != kNotSpecified) return std::nullopt;
  CosemDateTime t;
  const int year = (b[0] << 8) | b[1];
  t.year = year == 0xFFFF ? CosemDateTime::kUnspecified : year;
  t.month = (b[2] >= 1 && b[2] <= 12) ? b[2] : CosemDateTime::kUnspecified;
  t.day = (b[3] >= 1 && b[3] <= 31) ? b[3] : CosemDateTime::kUnspecified;
  t.weekday = field(b[4]);
  t.hour = field(b[5]);
  t.minute = field(b[6]);
  t.second = field(b[7]);
  t.hundredths = field(b[8]);
  const auto dev = static_cast<std::uint16_t>((b[9] << 8) | b[10]);
  if (dev != 0x8000) t.deviation = static_cast<std::int16_t>(dev);
  if (b[11] != kNotSpecified) t.status = b[11];
  return t;
}

std::array<std::uint8_t, 12> encode_cosem_datetime(const CosemDateTime& t) {
  auto byte = [](int v) { return static_cast<std::uint8_t>(v < 0 ? kNotSpecified : v); };
  const int year = t.year < 0 ? 0xFFFF : t.year;
  const std::uint16_t dev = t.deviation ? static_cast<std::uint16_t>(static_cast<std::int16_t>(*t.deviation)) : 0x8000;
  return {static_cast<std::uint8_t>(year >> 8), static_cast<std::uint8_t>(year), byte(t.month), byte(t.day),
          byte(t.weekday), byte(t.hour), byte(t.minute), byte(t.second), byte(t.hundredths),
          static_cast<std::uint8_t>(dev >> 8), static_cast<std::uint8_t>(dev), t.status.value_or(kNotSpecified)};
}

int CosemTimeConverter::zone_offset_seconds(const CosemDateTime& t, std::int64_t local_seconds,
                                            bool standard_time_only) {
  if (standard_time_only) {
    // Standard time is the smaller of the January and July offsets (northern or southern zones).
    const std::int64_t jan = days_from_civil(t.year, 1, 15) * 86400;
    const std::int64_t jul = days_from_civil(t.year, 7, 15) * 86400;
    return std::min(zone_->offset_at(jan), zone_->offset_at(jul));
  }
  const auto candidates = zone_->local_to_utc(local_seconds);
  if (candidates.empty()) {
    // Spring-forward gap: the meter shows a time that does not exist; keep the offset before it.
    return zone_->offset_at(local_seconds - 86400);
  }
  std::int64_t utc = candidates.front();
  if (candidates.size() > 1) {
    // Repeated autumn hour: the DST bit picks the first pass; without it, a time that would
    // go backwards relative to the previous reading belongs to the second pass.
    const bool first_pass = t.dst_flag() || !last_utc_ || candidates.front() >= *last_utc_;
    utc = first_pass ? candidates.front() : candidates.back();
  }
  return static_cast<int>(local_seconds - utc);
}

std::optional<MeterTime> CosemTimeConverter::to_meter_time(const CosemDateTime& t, bool standard_time_only) {
  if (!t.has_wall_clock()) return std::nullopt;
  const CivilTime wall{t.year, t.month, t.day, t.hour, t.minute, t.second};
  MeterTime m = meter_time_from_wall_clock(wall);
  m.millisecond = t.hundredths > 0 ? t.hundredths * 10 : 0;
  if (t.status) m.dst = t.dst_flag();
  const std::int64_t local_seconds = civil_to_seconds(wall);
  if (t.deviation) {
    m.utc_offset_minutes = -*t.deviation;
    m.offset_stated_by_meter = true;
  } else {
    m.utc_offset_minutes = zone_offset_seconds(t, local_seconds, standard_time_only) / 60;
    m.offset_stated_by_meter = false;
  }
  last_utc_ = local_seconds - std::int64_t{*m.utc_offset_minutes} * 60;
  return m;
}

}  // namespace meterd::dlms
