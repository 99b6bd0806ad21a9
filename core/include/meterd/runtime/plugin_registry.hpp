#pragma once
// Finds plugin shared libraries (libmeterd_<name>.so) in the configured directories, checks
// their API version and keeps them loaded. Problems are collected per file, never fatal
// for the other plugins.
#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "meterd/plugin.hpp"

namespace meterd {

struct LoadedPlugin {
  const sdk::PluginInfo* info = nullptr;
  std::filesystem::path file;
  boost::dll::shared_library library;  // keeps the code mapped while instances live
};

struct PluginLoadFailure {
  std::filesystem::path file;
  std::string message;
};

class PluginRegistry {
 public:
  // The directories searched when none are configured: METERD_PLUGIN_PATH (colon separated),
  // the build tree's plugin folder and the installed one.
  static std::vector<std::filesystem::path> default_directories();

  void scan(const std::vector<std::filesystem::path>& directories);
  // Loads one file; returns false and records a failure when it is not a usable plugin.
  bool load(const std::filesystem::path& file);

  // A source and a sink may share a name (the mqtt sink and the mqtt source): find(name, kind)
  // prefers the plugin of that kind and otherwise returns one of the other kind, so the
  // caller can say it is in the wrong section.
  const LoadedPlugin* find(const std::string& name) const;
  const LoadedPlugin* find(const std::string& name, sdk::Kind kind) const;
  const std::multimap<std::string, LoadedPlugin>& plugins() const { return plugins_; }
  const std::vector<PluginLoadFailure>& failures() const { return failures_; }
  // "file, simulator (or failed: libmeterd_bad.so: ...)" for error messages.
  std::string describe_available() const;

 private:
  std::multimap<std::string, LoadedPlugin> plugins_;
  std::vector<PluginLoadFailure> failures_;
};

}  // namespace meterd
