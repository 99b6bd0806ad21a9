#include <signal.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "meterd/runtime/log.hpp"
#include "meterd/runtime/pipeline_loader.hpp"
#include "meterd/runtime/runtime.hpp"

namespace po = boost::program_options;

namespace meterd::cli {
namespace {

const char* kUsage =
    "meterd: read your own electricity meter and feed what you already run.\n\n"
    "Usage:\n"
    "  meterd --config FILE             run the pipeline described in FILE\n"
    "  meterd --check-config FILE       validate FILE and its plugins' options, then exit\n"
    "  meterd --list-plugins            list the plugins found\n"
    "  meterd --help-plugin NAME        show the options of one plugin\n"
    "  meterd decode [options] [FILE]   decode captured meter bytes to JSON lines (meterd decode --help)\n"
    "  meterd import --config FILE PATH...  import history files once and exit\n\n"
    "Options";

std::vector<std::filesystem::path> to_paths(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

int list_plugins(const std::vector<std::string>& dirs) {
  PluginRegistry registry;
  registry.scan(dirs.empty() ? PluginRegistry::default_directories() : to_paths(dirs));
  for (const auto& [name, p] : registry.plugins())
    std::cout << (p.info->kind == sdk::Kind::source ? "source  " : "sink    ") << name << " " << p.info->version
              << "  " << p.info->description << "  (" << p.file.string() << ")\n";
  for (const auto& f : registry.failures()) std::cout << "failed  " << f.file.string() << ": " << f.message << "\n";
  return registry.plugins().empty() ? 1 : 0;
}

int help_plugin(const std::string& name, const std::vector<std::string>& dirs) {
  PluginRegistry registry;
  registry.scan(dirs.empty() ? PluginRegistry::default_directories() : to_paths(dirs));
  const auto [first, end] = registry.plugins().equal_range(name);
  if (first == end) {
    std::cerr << "meterd: no plugin named '" << name << "' (available: " << registry.describe_available() << ")\n";
    return 1;
  }
  for (auto it = first; it != end; ++it) {
    const LoadedPlugin* p = &it->second;
    po::options_description own(std::string(p->info->name) + " options");
    if (p->info->describe_options) p->info->describe_options(own);
    std::cout << p->info->name << " " << p->info->version << " (" << (p->info->kind == sdk::Kind::source ? "source" : "sink")
              << "): " << p->info->description << "\n\n"
              << core_instance_options(p->info->kind) << "\n" << own << "\n";
  }
  return 0;
}

// Signals are blocked in every thread and taken by one waiter, so plugins never see them
// and shutdown runs in ordinary code, not in a signal handler.
sigset_t block_termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int run_pipeline(PipelineConfig config) {
  log::set_level(log::parse_level(config.log_level));
  sigset_t set = block_termination_signals();
  std::unique_ptr<Runtime> runtime;
  try {
    runtime = std::make_unique<Runtime>(std::move(config));
    runtime->create();
  } catch (const std::exception& e) {
    log::error("meterd", e.what());
    return 1;
  }
  std::jthread signals([&set, raw = runtime.get()] {
    int sig = 0;
    sigwait(&set, &sig);
    log::info("meterd", std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", draining the bus");
    raw->stop();
    // Tools like timeout(1) and service managers often signal the process and its group at
    // once; only a signal arriving well after the first means "stop now, do not drain".
    const auto first = std::chrono::steady_clock::now();
    for (;;) {
      sigwait(&set, &sig);
      if (std::chrono::steady_clock::now() - first < std::chrono::seconds(2)) continue;
      log::error("meterd", "second signal: exiting without draining");
      std::_Exit(130);
    }
  });
  signals.detach();
  try {
    runtime->start();
  } catch (const std::exception& e) {
    log::error("meterd", std::string("cannot start: ") + e.what());
    runtime->shutdown();
    return 1;
  }
  runtime->wait();
  runtime->shutdown();
  return runtime->failed_instances() > 0 ? 3 : 0;
}

int main_command(int argc, char** argv) {
  std::string config_path, check_path, help_name, log_level = "info";
  std::vector<std::string> plugin_dirs;
  po::options_description desc(kUsage);
  desc.add_options()
    ("help,h", "show this help")
    ("version", "show the version")
    ("config,c", po::value(&config_path), "pipeline config file")
    ("check-config", po::value(&check_path), "validate a config file and exit")
    ("list-plugins", "list plugins and exit")
    ("help-plugin", po::value(&help_name), "show a plugin's options and exit")
    ("plugin-dir", po::value(&plugin_dirs)->composing(), "where to look for plugins (repeatable)")
    ("log-level", po::value(&log_level), "debug, info, warning or error (overrides the config)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "meterd: " << e.what() << "\n(see meterd --help)\n";
    return 2;
  }
  if (vm.count("help") || argc == 1) {
    std::cout << desc << "\n";
    return argc == 1 ? 2 : 0;
  }
  if (vm.count("version")) {
    std::cout << "meterd " << METERD_VERSION << " (plugin API " << sdk::kApiVersion << ")\n";
    return 0;
  }
  if (vm.count("list-plugins")) return list_plugins(plugin_dirs);
  if (vm.count("help-plugin")) return help_plugin(help_name, plugin_dirs);
  const std::string path = !check_path.empty() ? check_path : config_path;
  if (path.empty()) {
    std::cerr << "meterd: give --config FILE (see meterd --help)\n";
    return 2;
  }
  PluginRegistry registry;
  PipelineConfig config;
  try {
    config = load_pipeline(path, registry, to_paths(plugin_dirs));
  } catch (const std::exception& e) {
    std::cerr << "meterd: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("log-level")) config.log_level = log_level;
  if (!check_path.empty()) {
    std::cout << path << ": OK (" << config.sources.size() << " sources, " << config.sinks.size() << " sinks)\n";
    return 0;
  }
  return run_pipeline(std::move(config));
}

}  // namespace meterd::cli
