#pragma once
// Notices on an MQTT broker through core's libmosquitto connection: per rule a retained state
// topic <base>/alerts/<rule>/state ("ON" while any of its subjects fires, else "OFF"), the
// last notice as JSON on <base>/alerts/<rule>/attributes (retained), and a Home Assistant
// binary_sensor discovery entry (device class "problem") per rule, sent again at every connect.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "meterd/mqtt/mosquitto_client.hpp"
#include "notice_channel.hpp"

namespace meterd::alerts {

struct MqttChannelSettings {
  mqtt::BrokerSettings broker;
  std::string base_topic = "meterd";
  std::string discovery_prefix = "homeassistant";  // empty: no discovery
  std::chrono::milliseconds ack_timeout{10'000};
};

// `rules` are announced at connect; `firing` holds the subjects firing at start, per rule.
std::unique_ptr<Channel> make_mqtt_channel(MqttChannelSettings settings, std::vector<std::string> rules,
                                           std::map<std::string, std::set<std::string>> firing,
                                           std::shared_ptr<const TimeZone> zone);

}  // namespace meterd::alerts
