#pragma once
// The delivery thread of a store-and-forward sink: takes batches from a DiskQueue, hands them
// to a BatchTransport, advances the queue cursor only over what the server acknowledged, and
// retries failures with exponential backoff. Everything that loses or delays data is reported
// through DeliveryEvents, so the sink turns it into Diagnostics.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "meterd/disk_queue/backoff.hpp"
#include "meterd/disk_queue/batch_transport.hpp"
#include "meterd/disk_queue/disk_queue.hpp"

namespace meterd::disk_queue {

struct DeliveryOptions {
  std::size_t batch_records = 1000;         // send when this many records are waiting
  std::uint64_t batch_bytes = 1024 * 1024;  // ... or this many payload bytes
  std::chrono::milliseconds batch_interval{1000};  // ... or the oldest has waited this long
  BackoffOptions backoff;
  // How long stop() keeps trying to deliver what is queued; the rest stays on disk.
  std::chrono::milliseconds stop_timeout{5000};
};

// Callbacks from the delivery thread (and from enqueue for drops). All optional.
struct DeliveryEvents {
  std::function<void(std::uint64_t records)> delivered;
  // attempt counts consecutive failures; `retry_in` is the backoff before the next attempt.
  std::function<void(std::string_view error, std::uint32_t attempt, std::chrono::milliseconds retry_in)> failed;
  std::function<void(std::uint32_t failed_attempts)> recovered;
  std::function<void(std::uint64_t records)> dropped;  // deleted to stay in the disk budget
  std::function<void(std::string_view error)> queue_error;  // the queue itself failed (disk)
};

class DeliveryLoop {
 public:
  DeliveryLoop(DiskQueue& queue, BatchTransport& transport, DeliveryOptions options, DeliveryEvents events);
  ~DeliveryLoop();  // stops without draining
  DeliveryLoop(const DeliveryLoop&) = delete;
  DeliveryLoop& operator=(const DeliveryLoop&) = delete;

  void start();
  // Appends to the queue and wakes the thread when a batch is full. Returns false when the
  // record could not be written (the error went to events.queue_error).
  bool enqueue(std::string_view record);
  // Makes the queue durable per the fsync policy. Sending still follows the batch limits:
  // queued records are safe on disk, so an idle bus is no reason to send half-empty batches.
  void flush();
  // Tries to deliver the queue for up to stop_timeout, then ends the thread.
  void stop();

  std::uint64_t pending() const { return queue_.pending_records(); }

 private:
  void run();
  // Returns false when stop was requested during the wait.
  bool wait_for_work();
  void deliver_one_batch();
  void sleep_backoff(std::chrono::milliseconds delay);

  DiskQueue& queue_;
  BatchTransport& transport_;
  DeliveryOptions options_;
  DeliveryEvents events_;
  Backoff backoff_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point drain_deadline_{};
  std::thread thread_;
};

}  // namespace meterd::disk_queue
