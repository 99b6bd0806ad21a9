#pragma once
// Store-and-forward for a sink plugin: readings are written to the instance's disk queue
// first and delivered by a background thread through the sink's transport. Recovery repairs,
// delivery failures, recoveries and budget drops become Diagnostics and Counters of the
// instance, so no reading is ever lost without a word.
#include <atomic>
#include <deque>
#include <mutex>
#include <memory>

#include "meterd/disk_queue/delivery_loop.hpp"
#include "meterd/diagnostic_throttle.hpp"
#include "meterd/disk_queue/disk_queue.hpp"
#include "meterd/disk_queue/queue_settings.hpp"
#include "meterd/plugin.hpp"

namespace meterd::disk_queue {

class QueuedDelivery {
 public:
  // Opens (and repairs) the queue; throws std::system_error when the directory is unusable.
  QueuedDelivery(sdk::Context& context, BatchTransport& transport, QueueSettings settings);
  ~QueuedDelivery();

  void start();
  // Serialises the reading into the queue. While the queue cannot be written (disk full,
  // folder unwritable) readings wait in memory, up to `memory_keep` of them, and go to the
  // queue in order once it can be written again; beyond the bound the oldest are dropped
  // (queue_overflow).
  void enqueue(const v1::Reading& reading);
  void flush();
  void stop();
  std::uint64_t pending() const;
  // True when nothing waits in memory: everything consumed is in the queue file.
  bool durable() const { return waiting_.empty(); }

 private:
  DeliveryEvents make_events();
  void report_recovery();
  void update_queue_depth();
  // Moves what waits in memory into the queue, oldest first; false when the queue still fails.
  bool write_waiting();
  void report_queue_error(std::string_view error);

  sdk::Context& context_;
  QueueSettings settings_;
  DiskQueue queue_;
  DeliveryLoop loop_;
  std::string last_error_;
  std::deque<std::string> waiting_;  // serialised readings the queue did not take yet
  std::atomic<std::size_t> waiting_count_{0};  // for the delivery thread's reports
  std::mutex throttle_mutex_;  // queue errors come from the delivery thread too
  DiagnosticThrottle queue_errors_;
  DiagnosticThrottle overflows_;
};

}  // namespace meterd::disk_queue
