#pragma once
// Publishes queued readings (state, single values, bundle, and discovery for meters not yet
// announced) with QoS 1 and acknowledges a reading to the queue only when the broker has
// acknowledged every message of it. Re-announces discovery when Home Assistant comes online.
#include <map>
#include <mutex>
#include <string>

#include "meterd/disk_queue/batch_transport.hpp"
#include "meterd/v1/bus.pb.h"
#include "meterd/mqtt/mosquitto_client.hpp"
#include "mqtt_topics.hpp"

namespace meterd::mqtt {

struct PublishSettings {
  TopicLayout topics;
  int qos = 1;
  bool retain_state = false;
  bool single_value_topics = true;
  bool bundle = false;
  bool discovery = true;
  std::string ha_status_topic = "homeassistant/status";
  std::chrono::milliseconds ack_timeout{30'000};
};

class MqttTransport : public disk_queue::BatchTransport {
 public:
  MqttTransport(BrokerSettings broker, PublishSettings publish);
  void start() { client_.start(); }
  void stop() { client_.stop_gracefully(); }
  disk_queue::DeliveryResult deliver(std::span<const std::string> records) override;

 private:
  struct Outgoing {
    std::string topic, payload;
    bool retain;
  };
  std::vector<Outgoing> messages_for(const v1::Reading& reading);
  void on_connected();
  void on_message(const std::string& topic, const std::string& payload);
  void announce_all();

  PublishSettings publish_;
  MosquittoClient client_;
  std::mutex known_mutex_;
  // Last reading per meter: source of discovery configs and of the state re-sent to a
  // restarted Home Assistant.
  std::map<std::string, v1::Reading> known_meters_;
  std::map<std::string, bool> announced_;
};

}  // namespace meterd::mqtt
