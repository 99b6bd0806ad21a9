#include "cii_push_builder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <variant>

#include "meterd/dlms/dlms_keys.hpp"

namespace meterd::simulator {
namespace {

dlms::E450EncoderOptions encoder_options(const std::string& key, const std::string& auth_key) {
  dlms::E450EncoderOptions o;
  if (!key.empty()) o.encryption_key = dlms::parse_aes_key(key);
  if (!auth_key.empty()) {
    if (!o.encryption_key) throw std::invalid_argument("option 'auth_key' needs 'key' (tags only exist on ciphered pushes)");
    o.authentication_key = dlms::parse_aes_key(auth_key);
    o.security_control = 0x30;  // authenticated and encrypted
  } else {
    o.security_control = 0x20;  // encrypted only: meters whose operator hands out no AK
  }
  return o;
}

double number(const DecodedMessage& m, const char* obis) {
  for (const auto& v : m.values)
    if (v.obis == obis) return std::get<double>(v.value);
  throw std::logic_error(std::string("simulated push lacks ") + obis);
}

template <typename T>
T clamp_to(double v) {
  if (!(v > 0)) return 0;
  return static_cast<T>(std::min(std::llround(v), static_cast<long long>(std::numeric_limits<T>::max())));
}

dlms::CosemDateTime local_clock(std::int64_t utc, const TimeZone& zone) {
  const CivilTime c = seconds_to_civil(zone.utc_to_local(utc));
  dlms::CosemDateTime t;
  t.year = c.year;
  t.month = c.month;
  t.day = c.day;
  t.weekday = static_cast<int>((days_from_civil(c.year, c.month, c.day) % 7 + 10) % 7) + 1;  // 1970-01-01: Thursday
  t.hour = c.hour;
  t.minute = c.minute;
  t.second = c.second;
  t.hundredths = 0;
  t.status = static_cast<std::uint8_t>(zone.is_dst_at(utc) ? 0x80 : 0x00);
  return t;
}

}  // namespace

CiiPushBuilder::CiiPushBuilder(const std::string& key, const std::string& auth_key)
    : encoder_(encoder_options(key, auth_key)) {}

std::vector<std::uint8_t> CiiPushBuilder::frames(const DecodedMessage& m, std::int64_t utc, const TimeZone& zone) {
  dlms::E450Readings r;
  r.logical_device_name = m.meter_id;
  r.serial = m.meter_id.size() > 7 ? m.meter_id.substr(m.meter_id.size() - 7) : m.meter_id;
  r.clock = local_clock(utc, zone);
  r.active_energy_import_wh = clamp_to<std::uint32_t>(number(m, "1-0:1.8.0"));
  r.active_energy_export_wh = clamp_to<std::uint32_t>(number(m, "1-0:2.8.0"));
  r.active_power_import_w = clamp_to<std::uint32_t>(number(m, "1-0:1.7.0"));
  r.active_power_export_w = clamp_to<std::uint32_t>(number(m, "1-0:2.7.0"));
  static const char* const kVoltage[] = {"1-0:32.7.0", "1-0:52.7.0", "1-0:72.7.0"};
  static const char* const kCurrent[] = {"1-0:31.7.0", "1-0:51.7.0", "1-0:71.7.0"};
  for (int p = 0; p < 3; ++p) {
    r.voltage_v[p] = clamp_to<std::uint16_t>(number(m, kVoltage[p]));
    r.current_centiamp[p] = clamp_to<std::uint16_t>(number(m, kCurrent[p]) * 100);
  }
  dlms::E450Push push;
  push.invoke_id = ++invoke_id_;
  push.frame_counter = invoke_id_;
  push.header_time = r.clock;
  push.items = dlms::vse2026_e450_items(r);
  return encoder_.encode(push);
}

}  // namespace meterd::simulator
