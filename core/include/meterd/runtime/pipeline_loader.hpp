#pragma once
// Config file -> plugins loaded -> validated PipelineConfig, the sequence shared by
// `meterd --config`, `--check-config` and `meterd import`.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "meterd/runtime/pipeline_config.hpp"
#include "meterd/runtime/plugin_registry.hpp"

namespace meterd {

// Throws ConfigError with file, line, section and option for every problem found.
// `amend` may add entries to the file once the plugins are known (`meterd import` hands the
// paths it was given to the sources that take files).
PipelineConfig load_pipeline(const std::string& config_path, PluginRegistry& registry,
                             const std::vector<std::filesystem::path>& extra_plugin_dirs,
                             const std::function<void(ConfigFile&, const PluginRegistry&)>& amend = {});

}  // namespace meterd
