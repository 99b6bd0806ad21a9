// Links a library that is not on the loader's path, so dlopen fails.
#include "meterd/plugin.hpp"

extern "C" int vanishing_dependency_value();

namespace {
struct Nothing final : meterd::sdk::Sink {
  void consume(const meterd::v1::Reading&) override { vanishing_dependency_value(); }
};
std::unique_ptr<meterd::sdk::Sink> make(meterd::sdk::SinkContext&) { return std::make_unique<Nothing>(); }
const meterd::sdk::PluginInfo kInfo{meterd::sdk::kApiVersion, meterd::sdk::Kind::sink, "missing_dep", "1.0",
                                    "cannot be loaded", nullptr, nullptr, make};
}  // namespace
METERD_PLUGIN(kInfo)
