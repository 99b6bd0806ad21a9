#pragma once
// Turns a config file into a validated pipeline: which plugin instances to create, their
// parsed options, the bus endpoints and the routing from sources to sinks. Every option is
// checked against the plugin's Boost.Program_options description; every error names the
// file, line, section and option.
#include <boost/program_options/variables_map.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "meterd/runtime/bus.hpp"
#include "meterd/runtime/bus_link.hpp"
#include "meterd/runtime/config_file.hpp"
#include "meterd/runtime/plugin_registry.hpp"

namespace meterd {

struct InstanceConfig {
  std::string section;  // "source.kitchen"
  std::string name;     // "kitchen"
  sdk::Kind kind = sdk::Kind::source;
  const LoadedPlugin* plugin = nullptr;
  boost::program_options::variables_map options;
  // Sinks only: which sources and meters to receive (empty = all), and diagnostics or not.
  std::vector<std::string> sources;
  std::vector<std::string> meters;
  bool diagnostics = false;
  // Instances that may fail to start: meterd then runs without them instead of exiting.
  bool optional = false;
};

struct PipelineConfig {
  std::string path;
  BusOptions bus;
  LinkOptions link;  // [bus] export / import between hosts
  std::string log_level = "info";
  std::filesystem::path state_dir = "state";
  std::string time_zone = "Europe/Zurich";
  int stats_interval_s = 10;
  bool exit_when_sources_done = false;
  std::vector<std::filesystem::path> plugin_dirs;
  std::vector<InstanceConfig> sources;
  std::vector<InstanceConfig> sinks;
};

// Reads [meterd] and [bus] only (needed to know where plugins live before loading them).
PipelineConfig read_global_sections(const ConfigFile& file);
// Builds the instances; `registry` must already hold the plugins. Throws ConfigError.
void build_instances(const ConfigFile& file, const PluginRegistry& registry, PipelineConfig& config);
// The options every instance has besides its plugin's own.
boost::program_options::options_description core_instance_options(sdk::Kind kind);

}  // namespace meterd
