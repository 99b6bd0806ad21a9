#pragma once
// Shared by the CII tests: a SourceContext that records what a source publishes, a source
// running on its own thread, pseudo-terminal pairs standing in for M-Bus adapters, E450 push
// frames with known values, temporary folders and polling.
#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "meterd/plugin.hpp"
#include "meterd/transport/serial_settings.hpp"

namespace meterd::cii_test {

struct SeenDiagnostic {
  sdk::Level level;
  std::string code, message, meter_id;
};

class RecordingContext final : public sdk::SourceContext {
 public:
  // Options as a config section would give them; anything not set takes the plugin default.
  RecordingContext(void (*describe)(boost::program_options::options_description&),
                   const std::multimap<std::string, std::string>& settings, std::string name = "meter");

  const std::string& instance_name() const override { return name_; }
  const std::string& section() const override { return section_; }
  const boost::program_options::variables_map& options() const override { return options_; }
  void log(sdk::Level level, std::string_view message) override;
  void diagnostic(sdk::Level level, std::string_view code, std::string_view message, std::string_view meter_id) override;
  sdk::Counters& counters() override { return counters_; }
  std::filesystem::path state_dir() override { return std::filesystem::temp_directory_path(); }
  std::shared_ptr<const TimeZone> time_zone() const override;
  bool publish(v1::Reading&& reading) override;
  bool publish_raw(v1::RawFrame&&) override { return true; }

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
  boost::program_options::variables_map options_;
  sdk::Counters counters_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<v1::Reading> readings_;
  std::vector<SeenDiagnostic> diagnostics_;
  std::vector<std::string> logs_;
};

// A source on its own thread, as the core runs it; stopped and joined on destruction.
class RunningSource {
 public:
  explicit RunningSource(std::unique_ptr<sdk::Source> source);
  ~RunningSource();
  bool finished() const { return finished_; }
  bool wait_finished(std::chrono::milliseconds timeout) const;
  void stop();

 private:
  std::unique_ptr<sdk::Source> source_;
  std::atomic<bool> finished_{false};
  std::jthread thread_;
};

// openpty with the slave in raw 2400 8E1 and, optionally, a symlink to the slave at `link`
// (replaced if present), like /dev/serial/by-id names pointing at /dev/ttyUSBn.
class PtyPair {
 public:
  explicit PtyPair(const std::filesystem::path& link = {});
  ~PtyPair();
  PtyPair(const PtyPair&) = delete;
  PtyPair& operator=(const PtyPair&) = delete;

  // Writes everything (blocking), as the meter side of the line.
  void write(const std::vector<std::uint8_t>& bytes);
  // Closes both ends held here: the reader sees the line go away as on an unplug.
  void unplug();
  const std::string& slave_path() const { return slave_path_; }
  // The baud rate currently set on the terminal (by whoever configured it last). Only the
  // rate: Linux forces every pseudo-terminal to 8 bits without parity whatever is asked for.
  unsigned current_baud() const;

 private:
  int master_ = -1, slave_ = -1;
  std::string slave_path_;
};

// Values of the i-th test push: they change with i so lost or repeated pushes are noticed.
struct PushValues {
  std::uint32_t energy_wh, power_w;
  std::uint16_t voltage_l1;
};
PushValues push_values(std::uint32_t i);

// Wire bytes of the i-th push (E450 VSE list, GBT over HDLC); encrypted when `key` is given.
std::vector<std::uint8_t> e450_push(std::uint32_t i, const std::string& meter_id, const std::string& key = "");

// The value of `obis` in a reading (NaN when absent).
double value_of(const v1::Reading& r, const std::string& obis);

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline constexpr const char* kTestKey = "000102030405060708090A0B0C0D0E0F";

}  // namespace meterd::cii_test
