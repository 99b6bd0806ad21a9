#include "meterd/decoded_message.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "meterd/time_zone.hpp"

namespace meterd {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::debug: return "debug";
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "unknown";
}

std::string format_meter_time(const MeterTime& t) {
  CivilTime c{t.year, t.month, t.day, t.hour, t.minute, t.second};
  std::string s = format_iso8601_local(c);
  if (t.millisecond > 0) {
    char ms[16];
    std::snprintf(ms, sizeof ms, ".%03d", t.millisecond % 1000);
    s += ms;
  }
  if (t.utc_offset_minutes) {
    const int off = *t.utc_offset_minutes;
    char buf[24];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", off < 0 ? '-' : '+', std::abs(off) / 60, std::abs(off) % 60);
    s += buf;
  }
  return s;
}

std::string to_json_line(const DecodedMessage& m) {
  nlohmann::ordered_json j;
  j["protocol"] = m.protocol;
  j["meter_id"] = m.meter_id.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(m.meter_id);
  j["time"] = m.time ? nlohmann::ordered_json(format_meter_time(*m.time)) : nlohmann::ordered_json();
  auto values = nlohmann::ordered_json::array();
  for (const auto& v : m.values) {
    nlohmann::ordered_json o;
    o["obis"] = v.obis;
    if (const double* d = std::get_if<double>(&v.value)) {
      // Whole numbers print without a fraction ("1234", not "1234.0").
      if (std::nearbyint(*d) == *d && std::fabs(*d) < 9.0e15)
        o["value"] = static_cast<std::int64_t>(*d);
      else
        o["value"] = *d;
    } else {
      o["value"] = std::get<std::string>(v.value);
    }
    o["unit"] = v.unit.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(v.unit);
    if (v.time) o["time"] = format_meter_time(*v.time);
    values.push_back(std::move(o));
  }
  j["values"] = std::move(values);
  // Identifiers may contain bytes that are not UTF-8; replace rather than throw.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace meterd
