#pragma once
// End-to-end acknowledgements between sources that can read again and the sinks of the same
// process (docs/architecture.md, "End-to-end acknowledgement").
//
// A source's checkpoint is a marker `C/ck/<source>/` on the bus, published after its
// readings on the same socket. Each local sink that receives the source sees the marker
// after every reading before it, makes them durable (flush(), then durable()) and
// acknowledges the marker's number here. The source waits until every such sink has
// acknowledged, and only then saves its position.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace meterd {

class Checkpoints {
 public:
  static constexpr const char* kTopicPrefix = "C/ck/";
  static std::string topic(const std::string& source) { return kTopicPrefix + source + "/"; }
  // The source a marker topic belongs to; empty when `topic` is not a marker.
  static std::string source_of(const std::string& topic);

  // A started sink that receives `sources` (empty: every source).
  void add_sink(int sink, std::vector<std::string> sources);
  // The sink stopped for good: checkpoints it owes fail instead of waiting.
  void sink_failed(int sink);
  // Acknowledges every checkpoint of `source` up to and including `number`.
  void acknowledge(int sink, const std::string& source, std::uint64_t number);

  // The next checkpoint number of `source`.
  std::uint64_t next(const std::string& source);
  // True once every sink receiving `source` acknowledged `number`; false on timeout or when
  // one of them failed.
  bool wait(const std::string& source, std::uint64_t number, std::chrono::milliseconds timeout);

 private:
  struct SinkState {
    std::vector<std::string> sources;
    bool failed = false;
    std::map<std::string, std::uint64_t> acknowledged;
  };
  bool receives(const SinkState& sink, const std::string& source) const;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int, SinkState> sinks_;
  std::map<std::string, std::uint64_t> issued_;
};

}  // namespace meterd
