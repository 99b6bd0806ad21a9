#include "recording_context.hpp"

#include "meterd/time_zone.hpp"

namespace po = boost::program_options;

namespace meterd::test_support {

RecordingContext::RecordingContext(void (*describe)(po::options_description&),
                                   const std::multimap<std::string, std::string>& settings, std::string name,
                                   std::filesystem::path state_dir)
    : name_(std::move(name)),
      section_("source." + name_),
      state_dir_(state_dir.empty() ? std::filesystem::temp_directory_path() : std::move(state_dir)) {
  po::options_description desc;
  describe(desc);
  po::parsed_options parsed(&desc);
  for (const auto& [key, value] : settings) parsed.options.emplace_back(key, std::vector<std::string>{value});
  po::store(parsed, options_);
  po::notify(options_);
}

void RecordingContext::log(sdk::Level, std::string_view message) {
  std::lock_guard lock(mutex_);
  logs_.emplace_back(message);
  changed_.notify_all();
}

bool RecordingContext::wait_for_log(const std::string& text, std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    std::size_t seen = 0;
    for (const auto& l : logs_) seen += l.find(text) != std::string::npos;
    return seen >= n;
  });
}

void RecordingContext::diagnostic(sdk::Level level, std::string_view code, std::string_view message,
                                  std::string_view meter_id) {
  std::lock_guard lock(mutex_);
  diagnostics_.push_back({level, std::string(code), std::string(message), std::string(meter_id)});
  changed_.notify_all();
}

std::shared_ptr<const TimeZone> RecordingContext::time_zone() const { return TimeZone::load("Europe/Zurich"); }

bool RecordingContext::publish(v1::Reading&& reading) {
  std::lock_guard lock(mutex_);
  readings_.push_back(std::move(reading));
  changed_.notify_all();
  return true;
}

std::vector<v1::Reading> RecordingContext::readings() const {
  std::lock_guard lock(mutex_);
  return readings_;
}

std::size_t RecordingContext::reading_count() const {
  std::lock_guard lock(mutex_);
  return readings_.size();
}

std::vector<SeenDiagnostic> RecordingContext::diagnostics() const {
  std::lock_guard lock(mutex_);
  return diagnostics_;
}

std::size_t RecordingContext::count_code(const std::string& code) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& d : diagnostics_) n += d.code == code;
  return n;
}

bool RecordingContext::wait_for_readings(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return readings_.size() >= n; });
}

bool RecordingContext::wait_for_code(const std::string& code, std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    std::size_t seen = 0;
    for (const auto& d : diagnostics_) seen += d.code == code;
    return seen >= n;
  });
}

std::string RecordingContext::dump_diagnostics() const {
  std::lock_guard lock(mutex_);
  std::string s;
  for (const auto& d : diagnostics_) s += d.code + ": " + d.message + "\n";
  return s;
}

}  // namespace meterd::test_support
