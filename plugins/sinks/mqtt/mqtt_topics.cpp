#include "mqtt_topics.hpp"

namespace meterd::mqtt {

std::string topic_level(std::string_view text) {
  std::string out(text.empty() ? std::string_view("unknown") : text);
  for (char& ch : out) {
    if (ch == '/' || ch == '+' || ch == '#' || ch == ' ' || ch == '\0') ch = '_';
  }
  return out;
}

std::string TopicLayout::state(std::string_view meter) const { return base + "/" + topic_level(meter); }

std::string TopicLayout::value(std::string_view meter, std::string_view key) const {
  return state(meter) + "/" + topic_level(key);
}

std::string TopicLayout::bundle(std::string_view meter) const {
  return "dt/" + topic_level(bundle_group) + "/" + topic_level(meter) + "/ds";
}

std::string TopicLayout::discovery(std::string_view meter, std::string_view key) const {
  return discovery_prefix + "/sensor/meterd_" + topic_level(meter) + "/" + topic_level(key) + "/config";
}

}  // namespace meterd::mqtt
