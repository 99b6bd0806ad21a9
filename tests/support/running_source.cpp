#include "running_source.hpp"

namespace meterd::test_support {

RunningSource::RunningSource(std::unique_ptr<sdk::Source> source) : source_(std::move(source)) {
  thread_ = std::jthread([this](std::stop_token stop) {
    source_->run(stop);
    finished_ = true;
  });
}

RunningSource::~RunningSource() { stop(); }

void RunningSource::stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

bool RunningSource::wait_finished(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!finished_) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace meterd::test_support
