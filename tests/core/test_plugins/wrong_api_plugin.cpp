// Claims an API version this core does not speak.
#include "meterd/plugin.hpp"

namespace {
const meterd::sdk::PluginInfo kInfo{42, meterd::sdk::Kind::sink, "from_the_future", "9.9",
                                    "built for another API", nullptr, nullptr, nullptr};
}
METERD_PLUGIN(kInfo)
