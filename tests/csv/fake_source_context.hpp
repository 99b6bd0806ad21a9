#pragma once
// A SourceContext for running a CSV source in-process: options from a map, a temporary state
// directory, and every published reading and diagnostic kept for the test to inspect.
#include <boost/program_options.hpp>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "meterd/plugin.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::csv_plugins::testing {

class FakeSourceContext : public sdk::SourceContext {
 public:
  FakeSourceContext(void (*describe)(boost::program_options::options_description&),
                    const std::vector<std::pair<std::string, std::string>>& options, std::filesystem::path state_dir)
      : state_dir_(std::move(state_dir)) {
    boost::program_options::options_description desc;
    describe(desc);
    boost::program_options::parsed_options parsed(&desc);
    for (const auto& [key, value] : options) parsed.options.emplace_back(key, std::vector<std::string>{value});
    boost::program_options::store(parsed, options_);
    boost::program_options::notify(options_);
    std::filesystem::create_directories(state_dir_);
  }
  const std::string& instance_name() const override { return name_; }
  const std::string& section() const override { return section_; }
  const boost::program_options::variables_map& options() const override { return options_; }
  void log(sdk::Level, std::string_view message) override {
    std::lock_guard lock(mutex_);
    logs.emplace_back(message);
  }
  void diagnostic(sdk::Level, std::string_view code, std::string_view message, std::string_view) override {
    std::lock_guard lock(mutex_);
    diagnostics.push_back(std::string(code) + ": " + std::string(message));
  }
  sdk::Counters& counters() override { return counters_; }
  std::filesystem::path state_dir() override { return state_dir_; }
  std::shared_ptr<const TimeZone> time_zone() const override { return TimeZone::load("Europe/Zurich"); }
  bool publish(v1::Reading&& reading) override {
    std::lock_guard lock(mutex_);
    readings.push_back(std::move(reading));
    return true;
  }
  bool publish_raw(v1::RawFrame&&) override { return true; }
  // What is published is in the test's hands at once, so every checkpoint is durable.
  bool checkpoint(std::chrono::milliseconds) override { return true; }

  std::vector<v1::Reading> take_readings() {
    std::lock_guard lock(mutex_);
    return readings;
  }
  std::vector<std::string> take_diagnostics() {
    std::lock_guard lock(mutex_);
    return diagnostics;
  }

  std::vector<v1::Reading> readings;
  std::vector<std::string> diagnostics, logs;

 private:
  std::mutex mutex_;
  std::string name_ = "test", section_ = "source.test";
  boost::program_options::variables_map options_;
  sdk::Counters counters_;
  std::filesystem::path state_dir_;
};

}  // namespace meterd::csv_plugins::testing
