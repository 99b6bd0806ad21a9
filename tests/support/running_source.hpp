#pragma once
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "meterd/plugin.hpp"

namespace meterd::test_support {

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

}  // namespace meterd::test_support
