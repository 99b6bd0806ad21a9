#include "meterd/disk_queue/delivery_loop.hpp"

#include <exception>

namespace meterd::disk_queue {

DeliveryLoop::DeliveryLoop(DiskQueue& queue, BatchTransport& transport, DeliveryOptions options,
                           DeliveryEvents events)
    : queue_(queue), transport_(transport), options_(options), events_(std::move(events)), backoff_(options.backoff) {}

DeliveryLoop::~DeliveryLoop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    drain_deadline_ = std::chrono::steady_clock::now();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeliveryLoop::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

bool DeliveryLoop::enqueue(std::string_view record) {
  AppendResult result;
  try {
    result = queue_.append(record);
  } catch (const std::exception& e) {
    if (events_.queue_error) events_.queue_error(e.what());
    return false;
  }
  if (result.dropped_records > 0 && events_.dropped) events_.dropped(result.dropped_records);
  if (queue_.pending_records() >= options_.batch_records) wake_.notify_all();
  return true;
}

void DeliveryLoop::flush() {
  try {
    queue_.sync();
  } catch (const std::exception& e) {
    if (events_.queue_error) events_.queue_error(e.what());
  }
}

void DeliveryLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    drain_deadline_ = std::chrono::steady_clock::now() + options_.stop_timeout;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  flush();
}

void DeliveryLoop::run() {
  while (wait_for_work()) deliver_one_batch();
}

// Waits until a batch is full, the oldest queued record has waited batch_interval, or stop
// was requested. While stopping, there is work as long as records remain and time is left.
bool DeliveryLoop::wait_for_work() {
  std::unique_lock lock(mutex_);
  const auto batch_full = [this] { return queue_.pending_records() >= options_.batch_records; };
  while (true) {
    if (stopping_) return queue_.pending_records() > 0 && std::chrono::steady_clock::now() < drain_deadline_;
    if (batch_full()) return true;
    if (queue_.pending_records() > 0) {
      wake_.wait_for(lock, options_.batch_interval, [&] { return stopping_ || batch_full(); });
      if (stopping_) continue;
      return true;
    }
    // Nothing queued: sleep until enqueue wakes us; the timeout re-checks the queue because
    // enqueue only signals full batches.
    wake_.wait_for(lock, options_.batch_interval, [&] { return stopping_ || queue_.pending_records() > 0; });
  }
}

void DeliveryLoop::deliver_one_batch() {
  QueueBatch batch;
  try {
    batch = queue_.peek(options_.batch_records, options_.batch_bytes);
  } catch (const std::exception& e) {
    if (events_.queue_error) events_.queue_error(e.what());
    sleep_backoff(backoff_.next_delay());
    return;
  }
  if (batch.empty()) return;

  const DeliveryResult result = transport_.deliver(batch.records);
  const std::size_t acknowledged = std::min(result.acknowledged, batch.records.size());
  if (acknowledged > 0) {
    try {
      queue_.commit(batch, acknowledged);
    } catch (const std::exception& e) {
      // The server has the records but the cursor did not move: they will be sent again,
      // which the sinks' idempotent writes (or the consumer's id check) absorb.
      if (events_.queue_error) events_.queue_error(e.what());
    }
    if (events_.delivered) events_.delivered(acknowledged);
  }
  if (acknowledged == batch.records.size()) {
    if (backoff_.failures() > 0 && events_.recovered) events_.recovered(backoff_.failures());
    backoff_.reset();
    return;
  }
  const auto delay = backoff_.next_delay();
  if (events_.failed) {
    events_.failed(result.error.empty() ? "the server did not acknowledge the batch" : result.error,
                   backoff_.failures(), delay);
  }
  sleep_backoff(delay);
}

// Sleeps for `delay`, but never past the drain deadline once stop() has been called.
void DeliveryLoop::sleep_backoff(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  const auto until = std::chrono::steady_clock::now() + delay;
  bool was_stopping = stopping_;
  while (true) {
    const auto target = stopping_ ? std::min(until, drain_deadline_) : until;
    if (wake_.wait_until(lock, target, [&] { return stopping_ != was_stopping; })) {
      was_stopping = stopping_;
      continue;
    }
    return;
  }
}

}  // namespace meterd::disk_queue
