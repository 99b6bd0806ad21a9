#pragma once
// A one-line progress display for imports on a terminal: bytes done as a bar, rows per second
// and time left. Writes to stderr with carriage returns, at most five times a second, and
// nothing at all when stderr is not a terminal (logs and pipes stay clean).
#include <chrono>
#include <cstdint>
#include <string>

namespace meterd::csv_plugins {

class ProgressBar {
 public:
  // `mode`: "auto" (only on a terminal), "always", "never".
  explicit ProgressBar(const std::string& mode);
  void start(std::string label, std::uint64_t total_bytes);
  void update(std::uint64_t bytes_done, std::uint64_t rows);
  void finish();
  bool enabled() const { return enabled_; }

 private:
  void draw(std::uint64_t bytes_done, std::uint64_t rows);
  bool enabled_ = false;
  std::string label_;
  std::uint64_t total_ = 0;
  std::chrono::steady_clock::time_point started_, last_draw_;
  bool drawn_ = false;
};

}  // namespace meterd::csv_plugins
