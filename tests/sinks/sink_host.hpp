#pragma once
// Runs a sink plugin module outside the meterd binary: loads the .so the build produced,
// parses its options the way a config section would be, and gives it a SinkContext that
// records Diagnostics for the test to inspect.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "meterd/plugin.hpp"

namespace meterd::test {

struct RecordedDiagnostic {
  sdk::Level level;
  std::string code;
  std::string message;
};

class TestSinkContext : public sdk::SinkContext {
 public:
  TestSinkContext(std::string name, boost::program_options::variables_map options, std::filesystem::path state_dir,
                  bool echo_diagnostics);
  const std::string& instance_name() const override { return name_; }
  const std::string& section() const override { return section_; }
  const boost::program_options::variables_map& options() const override { return options_; }
  void log(sdk::Level level, std::string_view message) override;
  void diagnostic(sdk::Level level, std::string_view code, std::string_view message, std::string_view meter_id) override;
  sdk::Counters& counters() override { return counters_; }
  std::filesystem::path state_dir() override { return state_dir_; }
  std::shared_ptr<const TimeZone> time_zone() const override { return nullptr; }

  std::vector<RecordedDiagnostic> diagnostics() const;
  bool has_diagnostic(const std::string& code, const std::string& text_part = "") const;

 private:
  std::string name_, section_;
  boost::program_options::variables_map options_;
  std::filesystem::path state_dir_;
  bool echo_;
  sdk::Counters counters_;
  mutable std::mutex mutex_;
  std::vector<RecordedDiagnostic> diagnostics_;
};

// One loaded plugin module (dlopen) with its PluginInfo.
class LoadedPlugin {
 public:
  explicit LoadedPlugin(const std::string& plugin_name);  // finds lib<name> in the build's plugin dir
  ~LoadedPlugin();
  const sdk::PluginInfo& info() const { return *info_; }
  // Parses `settings` (option -> value, as in an INI section) against the plugin's options.
  boost::program_options::variables_map parse_options(const std::map<std::string, std::string>& settings) const;

 private:
  void* handle_ = nullptr;
  const sdk::PluginInfo* info_ = nullptr;
};

// A sink instance with its context, as the core would hold it.
struct HostedSink {
  std::unique_ptr<TestSinkContext> context;
  std::unique_ptr<sdk::Sink> sink;
};
HostedSink host_sink(const LoadedPlugin& plugin, const std::map<std::string, std::string>& settings,
                     const std::filesystem::path& state_dir, bool echo_diagnostics = false);

std::filesystem::path plugin_module_path(const std::string& plugin_name);

}  // namespace meterd::test
