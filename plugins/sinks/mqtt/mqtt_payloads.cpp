#include "mqtt_payloads.hpp"

#include <ctime>
#include <nlohmann/json.hpp>

#include "meterd/sink/value_key.hpp"
#include "meterd/sink/value_kind.hpp"

namespace meterd::mqtt {
namespace {

nlohmann::json normalized_value(const v1::Value& value) {
  if (value.has_text()) return value.text();
  const auto kind = sink::classify_value(value.obis(), value.quantity(), value.unit());
  return sink::normalize_unit(kind.kind, value.number(), value.unit()).value;
}

std::string key_of(const v1::Value& value) { return sink::value_key(value.quantity(), value.obis(), value.tariff()); }

}  // namespace

std::int64_t reading_time_ms(const v1::Reading& reading) {
  return reading.has_meter_time_ms() ? reading.meter_time_ms() : reading.received_ms();
}

std::string iso8601_utc(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char result[48];
  std::snprintf(result, sizeof result, "%s.%03dZ", text, static_cast<int>(ms % 1000));
  return result;
}

std::string state_json(const v1::Reading& reading) {
  nlohmann::json state;
  state["id"] = reading.id();
  state["time"] = iso8601_utc(reading_time_ms(reading));
  for (const v1::Value& value : reading.values()) {
    if (value.has_number() || value.has_text()) state[key_of(value)] = normalized_value(value);
  }
  return state.dump();
}

std::vector<std::pair<std::string, std::string>> single_values(const v1::Reading& reading) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const v1::Value& value : reading.values()) {
    if (value.has_text()) out.emplace_back(key_of(value), value.text());
    else if (value.has_number()) out.emplace_back(key_of(value), normalized_value(value).dump());
  }
  return out;
}

std::string bundle_json(const v1::Reading& reading) {
  nlohmann::json meter;
  meter["ts"] = iso8601_utc(reading_time_ms(reading));
  for (const v1::Value& value : reading.values()) {
    if (value.obis().empty()) continue;
    if (value.has_number()) meter[value.obis()] = value.number();
    else if (value.has_text()) meter[value.obis()] = value.text();
  }
  return nlohmann::json{{"meter", meter}}.dump();
}

}  // namespace meterd::mqtt
