#include "meterd/runtime/checkpoints.hpp"

#include <algorithm>

namespace meterd {

std::string Checkpoints::source_of(const std::string& topic) {
  const std::string prefix = kTopicPrefix;
  if (topic.size() <= prefix.size() + 1 || topic.compare(0, prefix.size(), prefix) != 0 || topic.back() != '/')
    return {};
  return topic.substr(prefix.size(), topic.size() - prefix.size() - 1);
}

void Checkpoints::add_sink(int sink, std::vector<std::string> sources) {
  std::lock_guard lock(mutex_);
  sinks_[sink].sources = std::move(sources);
}

void Checkpoints::sink_failed(int sink) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = sinks_.find(sink); it != sinks_.end()) it->second.failed = true;
  }
  changed_.notify_all();
}

void Checkpoints::acknowledge(int sink, const std::string& source, std::uint64_t number) {
  {
    std::lock_guard lock(mutex_);
    auto& acked = sinks_[sink].acknowledged[source];
    acked = std::max(acked, number);
  }
  changed_.notify_all();
}

std::uint64_t Checkpoints::next(const std::string& source) {
  std::lock_guard lock(mutex_);
  return ++issued_[source];
}

bool Checkpoints::receives(const SinkState& sink, const std::string& source) const {
  return sink.sources.empty() || std::find(sink.sources.begin(), sink.sources.end(), source) != sink.sources.end();
}

bool Checkpoints::wait(const std::string& source, std::uint64_t number, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  bool failed = false;
  const auto done = [&] {
    for (const auto& [id, sink] : sinks_) {
      if (!receives(sink, source)) continue;
      if (sink.failed) return failed = true;
      const auto it = sink.acknowledged.find(source);
      if (it == sink.acknowledged.end() || it->second < number) return false;
    }
    return true;
  };
  return changed_.wait_for(lock, timeout, done) && !failed;
}

}  // namespace meterd
