#pragma once
// Runs a pipeline: creates the plugin instances, starts one thread per sink and per source,
// except for the sources that attach to the one shared event loop (meter lines: one thread
// for all of them),
// publishes counters, and on stop drains the bus so every reading published before the stop
// reaches every sink before the sinks are flushed and stopped.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "meterd/event_loop.hpp"
#include "meterd/runtime/bus.hpp"
#include "meterd/runtime/bus_link.hpp"
#include "meterd/runtime/checkpoints.hpp"
#include "meterd/runtime/pipeline_config.hpp"

namespace meterd {

class InstanceContext;

class Runtime {
 public:
  explicit Runtime(PipelineConfig config);
  ~Runtime();

  // Constructs every instance; throws std::runtime_error naming the plugin, its file and
  // section when a constructor fails. Nothing is started when this throws.
  void create();
  // Throws std::runtime_error naming each sink that could not start and is not `optional`;
  // shutdown() then stops the others.
  void start();
  // Blocks until stop() is called (or, with exit_when_sources_done, every source finished).
  void wait();
  // Thread safe and idempotent; may be called from a signal-handling thread.
  void stop();
  // Sources finished, bus drained, sinks flushed and stopped.
  void shutdown();

  Bus& bus() { return *bus_; }
  int failed_instances() const { return failed_; }

 private:
  struct SourceRunner;
  struct SinkRunner;
  void run_source(SourceRunner& r, std::stop_token st);
  void run_sink(SinkRunner& r);
  std::vector<std::string> subscriptions(const SinkRunner& r) const;
  void publish_counters();
  void on_source_done();
  void attach_sources();
  void on_attached_done(SourceRunner& r, std::exception_ptr failure);
  void stop_sources();

  PipelineConfig config_;
  std::unique_ptr<Bus> bus_;
  Checkpoints checkpoints_;
  std::vector<std::unique_ptr<SourceRunner>> sources_;
  std::vector<std::unique_ptr<SinkRunner>> sinks_;
  std::string eos_topic_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_requested_ = false;
  int sources_running_ = 0;
  std::atomic<int> failed_{0};
  std::jthread stats_;
  EventLoop source_loop_;
  std::jthread source_loop_thread_;
  std::unique_ptr<ExportLink> export_link_;
  std::vector<std::unique_ptr<ImportLink>> import_links_;
  bool shut_down_ = false;
};

}  // namespace meterd
