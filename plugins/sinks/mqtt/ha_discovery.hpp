#pragma once
// Home Assistant MQTT discovery: one device per meter, one sensor per value, with the
// device_class / state_class / unit combinations the energy dashboard accepts.
#include <string>
#include <utility>
#include <vector>

#include "meterd/v1/bus.pb.h"
#include "mqtt_topics.hpp"

namespace meterd::mqtt {

struct DiscoveryMessage {
  std::string topic;
  std::string payload;  // JSON config, published retained
};

// Configs for every value of `reading` (its meter's device). Interval values are left out:
// they describe past periods, not a current state; a price is the exception, as it holds for
// the interval under way. Names carry the direction ("Energy export"), ids the value's key.
std::vector<DiscoveryMessage> discovery_messages(const v1::Reading& reading, const TopicLayout& topics);

// "LGZ..." -> "Landis+Gyr" from the FLAG manufacturer id; empty when unknown.
std::string manufacturer_from_meter_id(const std::string& meter_id);

}  // namespace meterd::mqtt
