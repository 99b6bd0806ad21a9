// Plugin entry point of ekz_history.
#include "ekz_history_source.hpp"

namespace {


std::unique_ptr<meterd::sdk::Source> make(meterd::sdk::SourceContext& context) {
  return std::make_unique<meterd::csv_plugins::EkzHistorySource>(context);
}

const meterd::sdk::PluginInfo ekz_history_info{
    meterd::sdk::kApiVersion, meterd::sdk::Kind::source, "ekz_history", "0.1.0",
    "imports history files (myEKZ, CKW open data, power series, mapped CSV) and finishes", &meterd::csv_plugins::describe_ekz_history_options, &make, nullptr};

}  // namespace

METERD_PLUGIN(ekz_history_info)
