// Plugin entry point of csv_watcher.
#include <boost/program_options.hpp>

#include "csv_watcher_source.hpp"
#include "mapping_options.hpp"

namespace po = boost::program_options;

namespace {

void describe(po::options_description& options) {
  options.add_options()
    ("path", po::value<std::vector<std::string>>()->composing(),
     "file to follow; wildcards in the file name follow every matching file (repeatable)")
    ("meter_id", po::value<std::string>(), "meter id of the readings (default: the instance name)")
    ("format", po::value<std::string>()->default_value("cii_tool"),
     "cii_tool (the Hackdays CII tool's CSV) or generic (the column options below)");
  meterd::csv_plugins::describe_mapping_options(options);
}

std::unique_ptr<meterd::sdk::Source> make(meterd::sdk::SourceContext& context) {
  return std::make_unique<meterd::csv_plugins::CsvWatcherSource>(context);
}

const meterd::sdk::PluginInfo csv_watcher_info{
    meterd::sdk::kApiVersion, meterd::sdk::Kind::source, "csv_watcher", "0.1.0",
    "follows CSV files other programs append to (CII tool CSV or any mapped CSV)", &describe, &make, nullptr};

}  // namespace

METERD_PLUGIN(csv_watcher_info)
