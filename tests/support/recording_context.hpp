#pragma once
// A SourceContext that records what a source publishes, diagnoses and logs, with waits for
// the test thread. Options are given as a config section would give them.
#include <boost/program_options.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "meterd/plugin.hpp"

namespace meterd::test_support {

struct SeenDiagnostic {
  sdk::Level level;
  std::string code, message, meter_id;
};

class RecordingContext final : public sdk::SourceContext {
 public:
  // Options as a config section would give them; anything not set takes the plugin default.
  // `state_dir` empty: the system's temporary folder.
  RecordingContext(void (*describe)(boost::program_options::options_description&),
                   const std::multimap<std::string, std::string>& settings, std::string name = "meter",
                   std::filesystem::path state_dir = {});

  const std::string& instance_name() const override { return name_; }
  const std::string& section() const override { return section_; }
  const boost::program_options::variables_map& options() const override { return options_; }
  void log(sdk::Level level, std::string_view message) override;
  void diagnostic(sdk::Level level, std::string_view code, std::string_view message, std::string_view meter_id) override;
  sdk::Counters& counters() override { return counters_; }
  std::filesystem::path state_dir() override { return state_dir_; }
  std::shared_ptr<const TimeZone> time_zone() const override;
  bool publish(v1::Reading&& reading) override;
  bool publish_raw(v1::RawFrame&&) override { return true; }
  // What is published is in the test's hands at once, so every checkpoint is durable.
  bool checkpoint(std::chrono::milliseconds) override { return true; }

  std::vector<v1::Reading> readings() const;
  std::size_t reading_count() const;
  std::vector<SeenDiagnostic> diagnostics() const;
  std::size_t count_code(const std::string& code) const;
  // Waits until `n` readings arrived; false on timeout.
  bool wait_for_readings(std::size_t n, std::chrono::milliseconds timeout) const;
  bool wait_for_code(const std::string& code, std::size_t n, std::chrono::milliseconds timeout) const;
  std::string dump_diagnostics() const;
  // Waits until `n` log lines containing `text` were written.
  bool wait_for_log(const std::string& text, std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  std::string name_, section_;
  std::filesystem::path state_dir_;
  boost::program_options::variables_map options_;
  sdk::Counters counters_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<v1::Reading> readings_;
  std::vector<SeenDiagnostic> diagnostics_;
  std::vector<std::string> logs_;
};

}  // namespace meterd::test_support
