#include <boost/program_options.hpp>
#include <iostream>

#include "commands.hpp"
#include "meterd/runtime/pipeline_loader.hpp"

namespace po = boost::program_options;

namespace meterd::cli {

int run_pipeline(PipelineConfig config);

// Runs the config's pipeline once: every source that takes a `files` option gets the paths
// from the command line, and meterd exits when all sources are done and the sinks drained.
int import_command(int argc, char** argv) {
  std::string config_path;
  std::vector<std::string> paths, plugin_dirs;
  po::options_description desc(
      "meterd import --config FILE PATH...\n"
      "Imports history files (utility exports, CSV) through the pipeline in FILE and exits.\n"
      "Each [source.*] whose plugin takes files (e.g. ekz_history) reads PATH...\n\nOptions");
  desc.add_options()("help,h", "show this help")("config,c", po::value(&config_path), "pipeline config file")
      ("plugin-dir", po::value(&plugin_dirs)->composing(), "where to look for plugins")
      ("paths", po::value(&paths)->composing(), "files to import");
  po::positional_options_description pos;
  pos.add("paths", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "meterd import: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  if (config_path.empty() || paths.empty()) {
    std::cerr << "meterd import: give --config FILE and at least one PATH (see meterd import --help)\n";
    return 2;
  }
  PluginRegistry registry;
  PipelineConfig config;
  int takers = 0;
  try {
    config = load_pipeline(config_path, registry, {plugin_dirs.begin(), plugin_dirs.end()},
                           [&](ConfigFile& file, const PluginRegistry& reg) {
                             for (auto& sec : file.sections) {
                               if (sec.name.rfind("source.", 0) != 0) continue;
                               const LoadedPlugin* p = nullptr;
                               for (const auto& e : sec.entries)
                                 if (e.key == "plugin") p = reg.find(e.value);
                               if (!p || !p->info->describe_options) continue;
                               po::options_description own;
                               p->info->describe_options(own);
                               if (!own.find_nothrow("files", false)) continue;
                               ++takers;
                               // Appended after the scan: appending invalidates iterators over entries.
                               for (const auto& path : paths) sec.entries.push_back({"files", path, 0});
                             }
                           });
  } catch (const std::exception& e) {
    std::cerr << "meterd import: " << e.what() << "\n";
    return 2;
  }
  if (takers == 0) {
    std::cerr << "meterd import: " << config_path
              << " has no [source.*] that takes files (use a plugin such as ekz_history)\n";
    return 1;
  }
  config.exit_when_sources_done = true;
  return run_pipeline(std::move(config));
}

}  // namespace meterd::cli
