// Plugin entry point of csv_watcher.
#include "csv_watcher_source.hpp"

namespace {


std::unique_ptr<meterd::sdk::Source> make(meterd::sdk::SourceContext& context) {
  return std::make_unique<meterd::csv_plugins::CsvWatcherSource>(context);
}

const meterd::sdk::PluginInfo csv_watcher_info{
    meterd::sdk::kApiVersion, meterd::sdk::Kind::source, "csv_watcher", "0.1.0",
    "follows CSV files other programs append to (CII tool CSV or any mapped CSV)", &meterd::csv_plugins::describe_csv_watcher_options, &make, nullptr,
    &meterd::csv_plugins::check_csv_watcher_options};

}  // namespace

METERD_PLUGIN(csv_watcher_info)
