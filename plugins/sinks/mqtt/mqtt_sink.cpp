// The `mqtt` sink plugin: readings -> disk queue -> MQTT (QoS 1) with Home Assistant discovery.
#include <memory>

#include "meterd/disk_queue/queued_delivery.hpp"
#include "meterd/mqtt/broker_options.hpp"
#include "meterd/option_checks.hpp"
#include "meterd/plugin.hpp"
#include "mqtt_transport.hpp"

namespace po = boost::program_options;

namespace meterd::mqtt {
namespace {

void describe_options(po::options_description& options) {
  describe_broker_options(options);
  options.add_options()
    ("base_topic", po::value<std::string>()->default_value("meterd"), "prefix of all state topics")
    ("availability_topic", po::value<std::string>()->default_value(""), "online/offline topic (default: <base_topic>/status)")
    ("qos", po::value<int>()->default_value(1)->notifier(sdk::in_range(0, 1)), "QoS of state messages (0 or 1; 1 is needed for at-least-once)")
    ("retain_state", po::value<bool>()->default_value(false), "retain state messages")
    ("single_value_topics", po::value<bool>()->default_value(true), "also publish <base>/<meter>/<quantity>")
    ("bundle", po::value<bool>()->default_value(false), "also publish dt/<bundle_group>/<meter>/ds with all OBIS values")
    ("bundle_group", po::value<std::string>()->default_value("meterd"), "group level of the bundle topic")
    ("discovery", po::value<bool>()->default_value(true), "publish Home Assistant discovery configs")
    ("discovery_prefix", po::value<std::string>()->default_value("homeassistant"), "Home Assistant discovery prefix")
    ("ha_status_topic", po::value<std::string>()->default_value("homeassistant/status"),
     "Home Assistant birth topic; 'online' there re-announces discovery")
    ("ack_timeout_ms", po::value<int>()->default_value(30000)->notifier(sdk::in_range(100, 3600000)), "how long to wait for the broker's PUBACKs");
  disk_queue::describe_queue_options(options, 100);
}

// Connection attempts wait by the same backoff as deliveries (retry_initial_ms, retry_max_ms).
BrokerSettings read_broker(const sdk::SinkContext& context, const std::string& availability,
                           disk_queue::BackoffOptions reconnect) {
  BrokerSettings broker = read_broker_settings(context.options(), "meterd-" + context.instance_name());
  broker.will_topic = availability;
  broker.reconnect = reconnect;
  return broker;
}

PublishSettings read_publish(const po::variables_map& o) {
  PublishSettings publish;
  publish.topics.base = o["base_topic"].as<std::string>();
  publish.topics.availability = o["availability_topic"].as<std::string>();
  if (publish.topics.availability.empty()) publish.topics.availability = publish.topics.base + "/status";
  publish.topics.discovery_prefix = o["discovery_prefix"].as<std::string>();
  publish.topics.bundle_group = o["bundle_group"].as<std::string>();
  publish.qos = o["qos"].as<int>();
  publish.retain_state = o["retain_state"].as<bool>();
  publish.single_value_topics = o["single_value_topics"].as<bool>();
  publish.bundle = o["bundle"].as<bool>();
  publish.discovery = o["discovery"].as<bool>();
  publish.ha_status_topic = o["ha_status_topic"].as<std::string>();
  publish.ack_timeout = std::chrono::milliseconds(o["ack_timeout_ms"].as<int>());
  return publish;
}

class MqttSink : public sdk::Sink {
 public:
  explicit MqttSink(sdk::SinkContext& context)
      : publish_(read_publish(context.options())),
        queue_(disk_queue::read_queue_settings(context.options(), context.state_dir() / "queue")),
        transport_(read_broker(context, publish_.topics.availability, queue_.delivery.backoff), publish_),
        delivery_(context, transport_, queue_) {}

  void start() override {
    transport_.start();
    delivery_.start();
  }
  void consume(const v1::Reading& reading) override { delivery_.enqueue(reading); }
  void flush() override { delivery_.flush(); }
  bool durable() const override { return delivery_.durable(); }
  void stop() override {
    delivery_.stop();
    transport_.stop();
  }

 private:
  PublishSettings publish_;
  disk_queue::QueueSettings queue_;
  MqttTransport transport_;
  disk_queue::QueuedDelivery delivery_;
};

std::unique_ptr<sdk::Sink> make_sink(sdk::SinkContext& context) { return std::make_unique<MqttSink>(context); }

void check_options(const po::variables_map& options) {
  (void)read_broker_settings(options, "meterd");
  (void)read_publish(options);
  (void)disk_queue::read_queue_settings(options, {});
}

const sdk::PluginInfo kInfo{
    sdk::kApiVersion, sdk::Kind::sink, "mqtt", "0.1.0",
    "Publishes readings to MQTT (QoS 1, TLS) with Home Assistant discovery, through a disk-backed queue",
    describe_options, nullptr, make_sink, check_options};

}  // namespace
}  // namespace meterd::mqtt

METERD_PLUGIN(meterd::mqtt::kInfo)
