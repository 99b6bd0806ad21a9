#include "sink_host.hpp"

#include <dlfcn.h>

#include <boost/program_options/parsers.hpp>
#include <iostream>
#include <stdexcept>

namespace po = boost::program_options;

namespace meterd::test {

TestSinkContext::TestSinkContext(std::string name, po::variables_map options, std::filesystem::path state_dir,
                                 bool echo_diagnostics)
    : name_(std::move(name)),
      section_("sink." + name_),
      options_(std::move(options)),
      state_dir_(std::move(state_dir)),
      echo_(echo_diagnostics) {
  std::filesystem::create_directories(state_dir_);
}

void TestSinkContext::log(sdk::Level, std::string_view message) {
  if (echo_) std::cerr << "LOG " << message << std::endl;
}

void TestSinkContext::diagnostic(sdk::Level level, std::string_view code, std::string_view message, std::string_view) {
  if (echo_) std::cout << "DIAG " << code << " " << message << std::endl;
  std::lock_guard lock(mutex_);
  diagnostics_.push_back({level, std::string(code), std::string(message)});
}

std::vector<RecordedDiagnostic> TestSinkContext::diagnostics() const {
  std::lock_guard lock(mutex_);
  return diagnostics_;
}

bool TestSinkContext::has_diagnostic(const std::string& code, const std::string& text_part) const {
  std::lock_guard lock(mutex_);
  for (const auto& d : diagnostics_) {
    if (d.code == code && d.message.find(text_part) != std::string::npos) return true;
  }
  return false;
}

std::filesystem::path plugin_module_path(const std::string& plugin_name) {
  return std::filesystem::path(METERD_BUILD_DIR) / "plugins" / ("libmeterd_" + plugin_name + ".so");
}

LoadedPlugin::LoadedPlugin(const std::string& plugin_name) {
  const auto path = plugin_module_path(plugin_name);
  handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_) throw std::runtime_error(std::string("cannot load plugin: ") + ::dlerror());
  using InfoFn = const sdk::PluginInfo* (*)();
  using VersionFn = int (*)();
  auto version = reinterpret_cast<VersionFn>(::dlsym(handle_, "meterd_plugin_api_version"));
  auto info = reinterpret_cast<InfoFn>(::dlsym(handle_, "meterd_plugin_info"));
  if (!version || !info || version() != sdk::kApiVersion) throw std::runtime_error("not a meterd plugin: " + path.string());
  info_ = info();
}

LoadedPlugin::~LoadedPlugin() {
  // Left loaded: protobuf and libcurl keep global state that outlives a dlclose badly.
}

po::variables_map LoadedPlugin::parse_options(const std::map<std::string, std::string>& settings) const {
  po::options_description description;
  info_->describe_options(description);
  po::parsed_options parsed(&description);
  for (const auto& [key, value] : settings) {
    po::option option(key, {value});
    option.original_tokens = {key, value};
    parsed.options.push_back(option);
  }
  po::variables_map options;
  po::store(parsed, options);
  po::notify(options);
  return options;
}

HostedSink host_sink(const LoadedPlugin& plugin, const std::map<std::string, std::string>& settings,
                     const std::filesystem::path& state_dir, bool echo_diagnostics) {
  HostedSink hosted;
  hosted.context = std::make_unique<TestSinkContext>(plugin.info().name, plugin.parse_options(settings), state_dir,
                                                     echo_diagnostics);
  hosted.sink = plugin.info().make_sink(*hosted.context);
  return hosted;
}

}  // namespace meterd::test
