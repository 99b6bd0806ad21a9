// Plugin entry point of the mqtt source.
#include "mqtt_source.hpp"

namespace {

std::unique_ptr<meterd::sdk::Source> make(meterd::sdk::SourceContext& context) {
  return std::make_unique<meterd::mqtt_source::MqttSource>(context);
}

const meterd::sdk::PluginInfo mqtt_source_info{
    meterd::sdk::kApiVersion, meterd::sdk::Kind::source, "mqtt", "0.1.0",
    "takes readings from MQTT (QoS 1, persistent session, TLS): meterd's mqtt sink, Tasmota SML, AMS reader, "
    "SMLReader, Home Assistant/ESPHome topics, any mapped JSON",
    &meterd::mqtt_source::describe_source_options, &make, nullptr, &meterd::mqtt_source::check_options};

}  // namespace

METERD_PLUGIN(mqtt_source_info)
