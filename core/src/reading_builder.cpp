#include "meterd/reading_builder.hpp"

#include "meterd/time_zone.hpp"

namespace meterd {

std::optional<std::int64_t> meter_time_to_utc_ms(const MeterTime& t, const TimeZone& zone) {
  const std::int64_t local = civil_to_seconds({t.year, t.month, t.day, t.hour, t.minute, t.second});
  std::int64_t utc;
  if (t.utc_offset_minutes && t.offset_stated_by_meter) {
    utc = local - *t.utc_offset_minutes * 60;
  } else {
    auto candidates = zone.local_to_utc(local);
    if (candidates.empty()) return std::nullopt;
    utc = candidates.front();
    // In the repeated autumn hour the DST flag tells the two instants apart.
    if (candidates.size() == 2 && t.dst && !*t.dst) utc = candidates.back();
  }
  return utc * 1000 + t.millisecond;
}

v1::Reading to_reading(const DecodedMessage& m, const std::string& fallback_meter_id, const TimeZone& zone) {
  v1::Reading r;
  r.set_meter_id(m.meter_id.empty() ? fallback_meter_id : m.meter_id);
  if (m.time) {
    if (auto ms = meter_time_to_utc_ms(*m.time, zone)) {
      r.set_meter_time_ms(*ms);
      r.set_meter_utc_offset_s(zone.offset_at(*ms / 1000));
      if (m.time->utc_offset_minutes && m.time->offset_stated_by_meter)
        r.set_meter_utc_offset_s(*m.time->utc_offset_minutes * 60);
    }
  }
  for (const auto& v : m.values) {
    auto* out = r.add_values();
    out->set_obis(v.obis);
    out->set_quantity(v.quantity);
    if (const double* d = std::get_if<double>(&v.value))
      out->set_number(*d);
    else
      out->set_text(std::get<std::string>(v.value));
    out->set_unit(v.unit);
    if (v.raw) out->set_raw(*v.raw);
    if (v.scaler) out->set_scaler(*v.scaler);
    if (v.time)
      if (auto ms = meter_time_to_utc_ms(*v.time, zone)) out->set_time_ms(*ms);
  }
  return r;
}

}  // namespace meterd
