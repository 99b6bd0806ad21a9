#pragma once
// Topic layout of the mqtt sink (README.md#topics):
//   <base>/<meter>              JSON state with all values of one push
//   <base>/<meter>/<key>        one value per topic (optional)
//   <availability>              "online"/"offline", retained, also the last will
//   dt/<group>/<meter>/ds       optional OBIS bundle (VSE RL-DSP form)
//   <prefix>/sensor/meterd_<meter>/<key>/config   Home Assistant discovery
#include <string>
#include <string_view>

namespace meterd::mqtt {

struct TopicLayout {
  std::string base = "meterd";
  std::string availability;  // default "<base>/status"
  std::string discovery_prefix = "homeassistant";
  std::string bundle_group = "meterd";

  std::string state(std::string_view meter) const;
  std::string value(std::string_view meter, std::string_view key) const;
  std::string bundle(std::string_view meter) const;
  std::string discovery(std::string_view meter, std::string_view key) const;
};

// Meter ids become one topic level: '/', '+', '#' and spaces are replaced by '_'.
std::string topic_level(std::string_view text);

}  // namespace meterd::mqtt
