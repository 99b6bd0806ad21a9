#include "ha_discovery.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "meterd/sink/energy_price.hpp"
#include "meterd/sink/value_key.hpp"
#include "meterd/sink/value_kind.hpp"

namespace meterd::mqtt {
namespace {

struct HaClasses {
  const char* device_class = nullptr;
  const char* state_class = nullptr;
};

HaClasses ha_classes(const sink::ValueClass& kind) {
  using sink::ValueKind;
  const char* total = kind.may_decrease ? "total" : "total_increasing";
  switch (kind.kind) {
    case ValueKind::active_power: return {"power", "measurement"};
    case ValueKind::reactive_power: return {"reactive_power", "measurement"};
    case ValueKind::apparent_power: return {"apparent_power", "measurement"};
    case ValueKind::active_energy: return {"energy", total};
    // Older Home Assistant rejects reactive_energy and must never get "energy" for varh.
    case ValueKind::reactive_energy: return {nullptr, total};
    case ValueKind::apparent_energy: return {nullptr, total};
    case ValueKind::voltage: return {"voltage", "measurement"};
    case ValueKind::current: return {"current", "measurement"};
    case ValueKind::power_factor: return {"power_factor", "measurement"};
    case ValueKind::frequency: return {"frequency", "measurement"};
    case ValueKind::gas_volume: return {"gas", "total_increasing"};
    case ValueKind::water_volume: return {"water", "total_increasing"};
    case ValueKind::other: return {};
  }
  return {};
}

// "Energy export (1-0:2.8.0)", "Power import L1", "Price": the quantity with its direction,
// phase or tariff, as the entity's name in Home Assistant.
std::string friendly_name(const v1::Value& value, const std::string& key) {
  std::string words = key.rfind("active_", 0) == 0 ? key.substr(7) : key;
  std::string name;
  std::size_t start = 0;
  while (start <= words.size()) {
    auto end = words.find('_', start);
    if (end == std::string::npos) end = words.size();
    std::string word = words.substr(start, end - start);
    // Phases, tariffs and quadrants: "l1" -> "L1", "t2" -> "T2", "q3" -> "Q3".
    if (word.size() == 2 && (word[0] == 'l' || word[0] == 't' || word[0] == 'q') && std::isdigit(static_cast<unsigned char>(word[1])))
      word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    if (!word.empty()) name += (name.empty() ? "" : " ") + word;
    start = end + 1;
  }
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  if (!value.obis().empty() && !value.quantity().empty()) name += " (" + value.obis() + ")";
  return name;
}

// An amount of money ("CHF", "EUR"): an ISO 4217 code, three capital letters.
bool is_currency(const std::string& unit) {
  return unit.size() == 3 && std::all_of(unit.begin(), unit.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

std::string manufacturer_from_meter_id(const std::string& meter_id) {
  const std::string flag = meter_id.substr(0, 3);
  if (flag == "LGZ") return "Landis+Gyr";
  if (flag == "ISK") return "Iskraemeco";
  if (flag == "KFM") return "Kaifa";
  if (flag == "KAM") return "Kamstrup";
  return {};
}

std::vector<DiscoveryMessage> discovery_messages(const v1::Reading& reading, const TopicLayout& topics) {
  nlohmann::json device = {{"identifiers", {"meterd_" + topic_level(reading.meter_id())}},
                           {"name", "Meter " + reading.meter_id()}};
  if (const auto maker = manufacturer_from_meter_id(reading.meter_id()); !maker.empty()) device["manufacturer"] = maker;

  std::vector<DiscoveryMessage> messages;
  for (const v1::Value& value : reading.values()) {
    // A price holds for its interval, the one under way when it is published: announced too.
    // A price per energy ("CHF/kWh") is what Home Assistant's energy dashboard takes as the
    // current price; its "monetary" class is only for amounts in a currency, so none is set.
    const bool price = value.has_number() && sink::is_energy_price(value.quantity(), value.unit());
    if ((value.interval_start_ms() != 0 && !price) || (!value.has_number() && !value.has_text())) continue;
    const std::string key = sink::value_key(value.quantity(), value.obis(), value.tariff());
    const std::string unique_id = "meterd_" + topic_level(reading.meter_id()) + "_" + key;
    nlohmann::json config = {
        {"name", friendly_name(value, key)},
        {"unique_id", unique_id},
        {"object_id", unique_id},
        {"state_topic", topics.state(reading.meter_id())},
        {"value_template", "{{ value_json['" + key + "'] }}"},
        {"availability_topic", topics.availability},
        {"payload_available", "online"},
        {"payload_not_available", "offline"},
        {"device", device},
    };
    if (value.has_text()) {
      config["entity_category"] = "diagnostic";
    } else {
      const auto kind = sink::classify_value(value.obis(), value.quantity(), value.unit());
      auto classes = ha_classes(kind);
      if (price) classes = {nullptr, "measurement"};
      else if (kind.kind == sink::ValueKind::other && is_currency(value.unit())) classes = {"monetary", "total"};
      if (classes.device_class) config["device_class"] = classes.device_class;
      if (classes.state_class) config["state_class"] = classes.state_class;
      const auto unit = sink::normalize_unit(kind.kind, 0, value.unit()).unit;
      if (!unit.empty()) config["unit_of_measurement"] = unit;
    }
    messages.push_back({topics.discovery(reading.meter_id(), key), config.dump()});
  }
  return messages;
}

}  // namespace meterd::mqtt
