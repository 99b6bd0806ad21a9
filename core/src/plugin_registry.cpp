#include "meterd/runtime/plugin_registry.hpp"

#include <boost/dll/shared_library_load_mode.hpp>
#include <cstdlib>

#include "meterd/runtime/log.hpp"

#ifndef METERD_PLUGIN_BUILD_DIR
#define METERD_PLUGIN_BUILD_DIR ""
#endif
#ifndef METERD_PLUGIN_INSTALL_DIR
#define METERD_PLUGIN_INSTALL_DIR ""
#endif

namespace meterd {

std::vector<std::filesystem::path> PluginRegistry::default_directories() {
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv("METERD_PLUGIN_PATH")) {
    std::string s = env;
    for (std::size_t start = 0; start <= s.size();) {
      const auto end = s.find(':', start);
      std::string part = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!part.empty()) dirs.emplace_back(part);
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  for (const char* d : {METERD_PLUGIN_BUILD_DIR, METERD_PLUGIN_INSTALL_DIR})
    if (*d && std::filesystem::is_directory(d)) dirs.emplace_back(d);
  return dirs;
}

void PluginRegistry::scan(const std::vector<std::filesystem::path>& directories) {
  for (const auto& dir : directories) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      failures_.push_back({dir, "plugin directory does not exist or is not a directory"});
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      const auto name = entry.path().filename().string();
      if (name.rfind("libmeterd_", 0) == 0 && entry.path().extension() == ".so") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) load(f);
  }
}

bool PluginRegistry::load(const std::filesystem::path& file) {
  auto fail = [&](const std::string& why) {
    failures_.push_back({file, why});
    log::warning("plugins", file.string() + ": " + why);
    return false;
  };
  LoadedPlugin plugin;
  plugin.file = file;
  try {
    plugin.library.load(boost::dll::fs::path(file.string()), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return fail(std::string("cannot be loaded: ") + e.what() + " (a missing library or symbol; rebuild it against this meterd)");
  }
  // Read the version through a plain C function before touching any C++ structure, so an
  // incompatible plugin is refused without ever being used.
  if (!plugin.library.has("meterd_plugin_api_version") || !plugin.library.has("meterd_plugin_info"))
    return fail("is not a meterd plugin: it does not export meterd_plugin_api_version and meterd_plugin_info "
                "(declare it with METERD_PLUGIN)");
  const int api = plugin.library.get<int()>("meterd_plugin_api_version")();
  if (api != sdk::kApiVersion)
    return fail("was built for plugin API version " + std::to_string(api) + " but this meterd speaks version " +
                std::to_string(sdk::kApiVersion) + "; rebuild the plugin against this meterd's SDK");
  plugin.info = plugin.library.get<const sdk::PluginInfo*()>("meterd_plugin_info")();
  if (!plugin.info || !plugin.info->name || !*plugin.info->name) return fail("declares no plugin name");
  const bool is_source = plugin.info->kind == sdk::Kind::source;
  if ((is_source && !plugin.info->make_source) || (!is_source && !plugin.info->make_sink))
    return fail("declares no factory for its kind");
  const std::string name = plugin.info->name;
  for (auto [it, end] = plugins_.equal_range(name); it != end; ++it) {
    if (it->second.info->kind == plugin.info->kind)
      return fail("plugin name '" + name + "' is already provided by " + it->second.file.string() + "; keeping that one");
  }
  plugins_.emplace(name, std::move(plugin));
  return true;
}

const LoadedPlugin* PluginRegistry::find(const std::string& name) const {
  auto it = plugins_.find(name);
  return it == plugins_.end() ? nullptr : &it->second;
}

const LoadedPlugin* PluginRegistry::find(const std::string& name, sdk::Kind kind) const {
  for (auto [it, end] = plugins_.equal_range(name); it != end; ++it) {
    if (it->second.info->kind == kind) return &it->second;
  }
  return find(name);
}

std::string PluginRegistry::describe_available() const {
  std::string s;
  std::string previous;
  for (const auto& [name, p] : plugins_) {
    if (name != previous) s += (s.empty() ? "" : ", ") + name;
    previous = name;
  }
  if (s.empty()) s = "none";
  for (const auto& f : failures_) s += "; not loaded: " + f.file.filename().string() + " (" + f.message + ")";
  return s;
}

}  // namespace meterd
