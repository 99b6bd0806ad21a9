#include "mqtt_transport.hpp"

#include "ha_discovery.hpp"
#include "mqtt_payloads.hpp"

namespace meterd::mqtt {

MqttTransport::MqttTransport(BrokerSettings broker, PublishSettings publish)
    : publish_(std::move(publish)),
      client_(std::move(broker), [this] { on_connected(); },
              [this](const std::string& topic, const std::string& payload, bool) { on_message(topic, payload); }) {}

std::vector<MqttTransport::Outgoing> MqttTransport::messages_for(const v1::Reading& reading) {
  std::vector<Outgoing> out;
  const TopicLayout& topics = publish_.topics;
  {
    std::lock_guard lock(known_mutex_);
    const bool first_time = !announced_[reading.meter_id()];
    known_meters_[reading.meter_id()] = reading;
    if (publish_.discovery && first_time) {
      for (auto& message : discovery_messages(reading, topics)) out.push_back({message.topic, message.payload, true});
      announced_[reading.meter_id()] = true;
    }
  }
  out.push_back({topics.state(reading.meter_id()), state_json(reading), publish_.retain_state});
  if (publish_.single_value_topics) {
    for (auto& [key, payload] : single_values(reading)) {
      out.push_back({topics.value(reading.meter_id(), key), payload, publish_.retain_state});
    }
  }
  if (publish_.bundle) out.push_back({topics.bundle(reading.meter_id()), bundle_json(reading), false});
  return out;
}

disk_queue::DeliveryResult MqttTransport::deliver(std::span<const std::string> records) {
  if (!client_.connected()) return {0, client_.last_problem()};
  // Message ids per reading, in queue order, so a partial outcome acknowledges a prefix.
  std::vector<std::set<int>> pending(records.size());
  std::string error;
  std::size_t published = 0;
  v1::Reading reading;
  for (; published < records.size() && error.empty(); ++published) {
    if (!reading.ParseFromString(records[published])) continue;
    for (const Outgoing& message : messages_for(reading)) {
      const int mid = client_.publish(message.topic, message.payload, publish_.qos, message.retain, error);
      if (mid == 0) break;
      if (publish_.qos > 0) pending[published].insert(mid);
    }
  }
  if (!error.empty()) --published;  // that reading is incomplete
  std::size_t acknowledged = 0;
  const auto deadline = std::chrono::steady_clock::now() + publish_.ack_timeout;
  for (; acknowledged < published; ++acknowledged) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    client_.wait_for_acks(pending[acknowledged], std::max(left, std::chrono::milliseconds(0)));
    if (!pending[acknowledged].empty()) break;
  }
  if (acknowledged == records.size()) return {acknowledged, {}};
  if (error.empty()) {
    error = client_.connected() ? "MQTT broker did not acknowledge within ack_timeout_ms" : client_.last_problem();
  }
  return {acknowledged, error};
}

void MqttTransport::on_connected() {
  client_.subscribe(publish_.ha_status_topic);
  // A broker without persistence forgets retained configs when it restarts.
  announce_all();
}

void MqttTransport::on_message(const std::string& topic, const std::string& payload) {
  if (topic == publish_.ha_status_topic && payload == "online") announce_all();
}

// Configs first, then the current state, the order Home Assistant needs after its restart.
void MqttTransport::announce_all() {
  if (!publish_.discovery) return;
  std::map<std::string, v1::Reading> meters;
  {
    std::lock_guard lock(known_mutex_);
    meters = known_meters_;
  }
  std::string ignored;
  for (const auto& [meter, reading] : meters) {
    for (const auto& message : discovery_messages(reading, publish_.topics)) {
      client_.publish(message.topic, message.payload, publish_.qos, true, ignored);
    }
  }
  for (const auto& [meter, reading] : meters) {
    client_.publish(publish_.topics.state(meter), state_json(reading), publish_.qos, publish_.retain_state, ignored);
  }
}

}  // namespace meterd::mqtt
