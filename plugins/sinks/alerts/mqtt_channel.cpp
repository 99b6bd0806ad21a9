#include "mqtt_channel.hpp"

#include <mutex>
#include <nlohmann/json.hpp>

#include "notice_json.hpp"

namespace meterd::alerts {
namespace {

class MqttChannel final : public Channel {
 public:
  MqttChannel(MqttChannelSettings s, std::vector<std::string> rules, std::map<std::string, std::set<std::string>> firing,
              std::shared_ptr<const TimeZone> zone)
      : s_(std::move(s)),
        rules_(std::move(rules)),
        firing_(std::move(firing)),
        zone_(std::move(zone)),
        client_(s_.broker, [this] { announce(); }, nullptr) {}
  const char* name() const override { return "mqtt"; }
  void start() override { client_.start(); }
  void stop() override { client_.stop_gracefully(); }

  void deliver(const Notice& n) override {
    std::string state;
    {
      std::lock_guard lock(mutex_);
      auto& subjects = firing_[n.rule];
      if (n.kind == Notice::Kind::resolved) subjects.erase(n.subject);
      else subjects.insert(n.subject);
      state = subjects.empty() ? "OFF" : "ON";
    }
    if (!client_.connected()) throw std::runtime_error("MQTT broker not reachable: " + client_.last_problem());
    std::set<int> ids;
    publish(topic(n.rule, "attributes"), notice_json(n, *zone_), ids);
    publish(topic(n.rule, "state"), state, ids);
    client_.wait_for_acks(ids, s_.ack_timeout);
    if (!ids.empty()) throw std::runtime_error("the MQTT broker did not acknowledge the notice in time");
  }

 private:
  std::string topic(const std::string& rule, const char* leaf) const { return s_.base_topic + "/alerts/" + rule + "/" + leaf; }

  void publish(const std::string& topic, const std::string& payload, std::set<int>& ids) {
    std::string error;
    const int id = client_.publish(topic, payload, 1, true, error);
    if (id == 0) throw std::runtime_error("MQTT publish to " + topic + " failed: " + error);
    ids.insert(id);
  }

  // At every connect: a broker without persistence forgets retained topics when it restarts.
  void announce() {
    std::string ignored;
    for (const auto& rule : rules_) {
      if (!s_.discovery_prefix.empty()) {
        const std::string id = "meterd_alert_" + rule;
        const nlohmann::json config{{"name", "Alert " + rule},
                                    {"unique_id", id},
                                    {"object_id", id},
                                    {"state_topic", topic(rule, "state")},
                                    {"json_attributes_topic", topic(rule, "attributes")},
                                    {"payload_on", "ON"},
                                    {"payload_off", "OFF"},
                                    {"device_class", "problem"},
                                    {"device", {{"identifiers", {"meterd_alerts"}}, {"name", "meterd alerts"}}}};
        client_.publish(s_.discovery_prefix + "/binary_sensor/" + id + "/config", config.dump(), 1, true, ignored);
      }
      bool on = false;
      {
        std::lock_guard lock(mutex_);
        on = !firing_[rule].empty();
      }
      client_.publish(topic(rule, "state"), on ? "ON" : "OFF", 1, true, ignored);
    }
  }

  MqttChannelSettings s_;
  std::vector<std::string> rules_;
  std::mutex mutex_;
  std::map<std::string, std::set<std::string>> firing_;
  std::shared_ptr<const TimeZone> zone_;
  mqtt::MosquittoClient client_;
};

}  // namespace

std::unique_ptr<Channel> make_mqtt_channel(MqttChannelSettings settings, std::vector<std::string> rules,
                                           std::map<std::string, std::set<std::string>> firing,
                                           std::shared_ptr<const TimeZone> zone) {
  return std::make_unique<MqttChannel>(std::move(settings), std::move(rules), std::move(firing), std::move(zone));
}

}  // namespace meterd::alerts
