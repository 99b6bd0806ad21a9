#pragma once
// A stop token turned into a descriptor: it becomes readable the moment stop is requested, so
// a reader can block in poll() on its line and this at once, for as long as the line is idle,
// and still stop within milliseconds. Idle meters cost no wake-ups, whatever their number.
#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>

namespace meterd::meter_source {

class StopSignal {
 public:
  explicit StopSignal(const std::stop_token& stop);
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  int fd() const { return fd_; }
  // Sleeps for `delay` unless stop is requested first; true when the whole delay passed.
  bool sleep_for(std::chrono::milliseconds delay) const;

 private:
  int fd_ = -1;
  std::stop_token stop_;
  std::optional<std::stop_callback<std::function<void()>>> on_stop_;
};

}  // namespace meterd::meter_source
