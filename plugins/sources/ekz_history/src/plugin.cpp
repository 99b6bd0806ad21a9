// Plugin entry point of ekz_history.
#include <boost/program_options.hpp>

#include "ekz_history_source.hpp"
#include "mapping_options.hpp"

namespace po = boost::program_options;

namespace {

void describe(po::options_description& options) {
  options.add_options()
    ("files", po::value<std::vector<std::string>>()->composing(),
     "history file to import (repeatable; meterd import adds its PATH arguments here)")
    ("meter_id", po::value<std::string>(), "meter id of the readings (default: the instance name)")
    ("format", po::value<std::string>()->default_value("auto"),
     "auto, ekz_export, ckw_open_data, power_series, cii_tool or generic (the column options below)")
    ("progress", po::value<std::string>()->default_value("auto"),
     "progress line on stderr: auto (only on a terminal), always, never");
  meterd::csv_plugins::describe_mapping_options(options);
}

std::unique_ptr<meterd::sdk::Source> make(meterd::sdk::SourceContext& context) {
  return std::make_unique<meterd::csv_plugins::EkzHistorySource>(context);
}

const meterd::sdk::PluginInfo ekz_history_info{
    meterd::sdk::kApiVersion, meterd::sdk::Kind::source, "ekz_history", "0.1.0",
    "imports history files (myEKZ, CKW open data, power series, mapped CSV) and finishes", &describe, &make, nullptr};

}  // namespace

METERD_PLUGIN(ekz_history_info)
