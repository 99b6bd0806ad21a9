#pragma once
// Store-and-forward for a sink plugin: readings are written to the instance's disk queue
// first and delivered by a background thread through the sink's transport. Recovery repairs,
// delivery failures, recoveries and budget drops become Diagnostics and Counters of the
// instance, so no reading is ever lost without a word.
#include <memory>

#include "meterd/disk_queue/delivery_loop.hpp"
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
  // Serialises the reading into the queue. A disk error is reported and counted as a drop.
  void enqueue(const v1::Reading& reading);
  void flush();
  void stop();
  std::uint64_t pending() const;

 private:
  DeliveryEvents make_events();
  void report_recovery();
  void update_queue_depth();

  sdk::Context& context_;
  QueueSettings settings_;
  DiskQueue queue_;
  DeliveryLoop loop_;
  std::string last_error_;
};

}  // namespace meterd::disk_queue
