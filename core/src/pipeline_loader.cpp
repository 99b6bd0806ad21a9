#include "meterd/runtime/pipeline_loader.hpp"

namespace meterd {

PipelineConfig load_pipeline(const std::string& path, PluginRegistry& registry,
                             const std::vector<std::filesystem::path>& extra_plugin_dirs,
                             const std::function<void(ConfigFile&, const PluginRegistry&)>& amend) {
  ConfigFile file = read_config_file(path);
  PipelineConfig config = read_global_sections(file);
  // Relative plugin and state directories are relative to the config file, not to wherever
  // meterd happens to be started from.
  const auto base = std::filesystem::absolute(path).parent_path();
  for (auto& d : config.plugin_dirs)
    if (d.is_relative()) d = base / d;
  if (config.state_dir.is_relative()) config.state_dir = base / config.state_dir;
  auto dirs = extra_plugin_dirs;
  dirs.insert(dirs.end(), config.plugin_dirs.begin(), config.plugin_dirs.end());
  if (dirs.empty()) dirs = PluginRegistry::default_directories();
  registry.scan(dirs);
  if (amend) amend(file, registry);
  build_instances(file, registry, config);
  return config;
}

}  // namespace meterd
