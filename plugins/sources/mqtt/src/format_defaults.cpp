// The built-in mappings of the readers meterd knows by name. Their sources:
//   Tasmota SML: the keys evcc asks a Tasmota script to publish (Total_in and Total_out in kWh,
//     Power_curr in W, power_lN, voltage_lN, current_lN, Meter_Id), docs.evcc.io/en/meters/
//     tasmota-sml-ir-reader-for-smartmeters-e-g-hichi; Time is Tasmota's local time.
//   AMS reader: the "JSON (classic)" template of UtilitechAS/amsreader-firmware,
//     lib/JsonMqttHandler/json/json3.json: P/PO in W, Q/QO in var, I1-3 in A, U1-3 in V,
//     tPI/tPO in kWh, tQI/tQO in kvarh, t and rtc as Unix seconds, data.id the meter.
//   SMLReader: mruettgers/SMLReader src/MqttPublisher.h, one topic per OBIS code with the
//     scaled value (see message_decoder.cpp).
#include <stdexcept>

#include "message_decoder.hpp"

namespace meterd::mqtt_source {
namespace {

void add_field(DecoderSettings& settings, const std::string& pointer, const char* target) {
  for (const auto& rule : settings.fields) {
    if (rule.pointer == pointer) return;  // the config's own rule for this key wins
  }
  settings.fields.push_back({pointer, parse_value_target(target)});
}

void tasmota_defaults(DecoderSettings& settings, const std::string& group) {
  const std::string g = "/" + group + "/";
  add_field(settings, g + "Total_in", "1-0:1.8.0 kWh");
  add_field(settings, g + "Total_out", "1-0:2.8.0 kWh");
  add_field(settings, g + "Power_curr", "1-0:16.7.0 W");
  const char* phases[] = {"1", "2", "3"};
  const int offsets[] = {20, 40, 60};
  for (int p = 0; p < 3; ++p) {
    add_field(settings, g + "power_l" + phases[p], ("1-0:" + std::to_string(16 + offsets[p]) + ".7.0 W").c_str());
    add_field(settings, g + "voltage_l" + phases[p], ("1-0:" + std::to_string(12 + offsets[p]) + ".7.0 V").c_str());
    add_field(settings, g + "current_l" + phases[p], ("1-0:" + std::to_string(11 + offsets[p]) + ".7.0 A").c_str());
  }
  if (settings.time_fields.empty()) settings.time_fields = {"/Time"};
  if (settings.meter_id_field.empty()) settings.meter_id_field = g + "Meter_Id";
  if (settings.meter_id_topic_level < 0) settings.meter_id_topic_level = 1;  // tele/<device>/SENSOR
}

void ams_defaults(DecoderSettings& settings) {
  add_field(settings, "/data/P", "1-0:1.7.0 W");
  add_field(settings, "/data/PO", "1-0:2.7.0 W");
  add_field(settings, "/data/Q", "1-0:3.7.0 var");
  add_field(settings, "/data/QO", "1-0:4.7.0 var");
  for (int p = 0; p < 3; ++p) {
    const std::string n = std::to_string(p + 1);
    add_field(settings, "/data/I" + n, ("1-0:" + std::to_string(31 + 20 * p) + ".7.0 A").c_str());
    add_field(settings, "/data/U" + n, ("1-0:" + std::to_string(32 + 20 * p) + ".7.0 V").c_str());
  }
  add_field(settings, "/data/tPI", "1-0:1.8.0 kWh");
  add_field(settings, "/data/tPO", "1-0:2.8.0 kWh");
  add_field(settings, "/data/tQI", "1-0:3.8.0 kvarh");
  add_field(settings, "/data/tQO", "1-0:4.8.0 kvarh");
  if (settings.time_fields.empty()) {
    settings.time_fields = {"/data/rtc", "/t"};
    std::string error;
    settings.time_format = csv_table::TimestampFormat::compile("unix", error);
  }
  if (settings.meter_id_field.empty()) settings.meter_id_field = "/data/id";
}

}  // namespace

void apply_format_defaults(DecoderSettings& settings, const std::string& tasmota_group) {
  switch (settings.format) {
    case Format::tasmota: tasmota_defaults(settings, tasmota_group); break;
    case Format::ams: ams_defaults(settings); break;
    default: break;
  }
}

}  // namespace meterd::mqtt_source
