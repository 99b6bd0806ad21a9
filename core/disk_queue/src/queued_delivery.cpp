#include "meterd/disk_queue/queued_delivery.hpp"

#include <bit>
#include <string>

namespace meterd::disk_queue {

QueuedDelivery::QueuedDelivery(sdk::Context& context, BatchTransport& transport, QueueSettings settings)
    : context_(context),
      settings_(std::move(settings)),
      queue_(settings_.queue),
      loop_(queue_, transport, settings_.delivery, make_events()) {
  report_recovery();
  update_queue_depth();
}

QueuedDelivery::~QueuedDelivery() = default;

// The core publishes Counters::queue_depth in its periodic "counters" Diagnostic, so every
// change of the queue length is mirrored there: after recovery, enqueue, delivery and drops.
void QueuedDelivery::update_queue_depth() { context_.counters().queue_depth = queue_.pending_records(); }

void QueuedDelivery::report_recovery() {
  const RecoveryReport& report = queue_.recovery();
  for (const std::string& problem : report.problems) {
    context_.diagnostic(sdk::Level::warning, "queue_repaired", problem);
  }
  if (report.pending_records > 0) {
    context_.diagnostic(sdk::Level::info, "queue_resumed",
                        std::to_string(report.pending_records) +
                            " readings from the previous run are still queued and will be delivered first");
  }
}

DeliveryEvents QueuedDelivery::make_events() {
  DeliveryEvents events;
  events.delivered = [this](std::uint64_t n) {
    context_.counters().out += n;
    update_queue_depth();
  };
  events.failed = [this](std::string_view error, std::uint32_t attempt, std::chrono::milliseconds retry_in) {
    ++context_.counters().errors;
    // Report the first failure, every change of cause, and then ever more rarely, so a long
    // outage stays visible without flooding the bus.
    const bool changed = error != last_error_;
    if (changed || std::has_single_bit(attempt)) {
      context_.diagnostic(sdk::Level::warning, "delivery_failed",
                          std::string(error) + " (attempt " + std::to_string(attempt) + ", " +
                              std::to_string(queue_.pending_records()) + " readings queued, retrying in " +
                              std::to_string(retry_in.count()) + " ms)");
    }
    last_error_ = error;
  };
  events.recovered = [this](std::uint32_t attempts) {
    last_error_.clear();
    context_.diagnostic(sdk::Level::info, "delivery_resumed",
                        "delivery works again after " + std::to_string(attempts) + " failed attempts");
  };
  events.dropped = [this](std::uint64_t n) {
    context_.counters().drops += n;
    update_queue_depth();
    context_.diagnostic(sdk::Level::error, "queue_overflow",
                        "disk budget of the queue (queue_max_mb) exceeded: dropped the " + std::to_string(n) +
                            " oldest undelivered readings");
  };
  events.queue_error = [this](std::string_view error) { report_queue_error(error); };
  return events;
}

void QueuedDelivery::start() { loop_.start(); }

void QueuedDelivery::report_queue_error(std::string_view error) {
  std::lock_guard lock(throttle_mutex_);
  if (const auto count = queue_errors_.occurred())
    context_.diagnostic(sdk::Level::error, "queue_error",
                        std::string(error) + " (" + std::to_string(*count) + " failed writes since the last report; " +
                            std::to_string(waiting_count_.load()) + " readings kept in memory, up to memory_keep = " +
                            std::to_string(settings_.memory_keep) +
                            "; written as soon as the disk takes them again). Free space or fix the folder's permissions.");
}

bool QueuedDelivery::write_waiting() {
  while (!waiting_.empty()) {
    if (!loop_.enqueue(waiting_.front())) return false;  // reported through events.queue_error
    waiting_.pop_front();
  }
  waiting_count_ = 0;
  bool was_failing = false;
  {
    std::lock_guard lock(throttle_mutex_);
    was_failing = queue_errors_.cleared();
  }
  if (was_failing) context_.diagnostic(sdk::Level::info, "queue_resumed", "the queue can be written again; nothing kept in memory was lost");
  return true;
}

// `in` is not counted here: the core's sink loop already counts every reading it hands over.
void QueuedDelivery::enqueue(const v1::Reading& reading) {
  waiting_.push_back(reading.SerializeAsString());
  if (waiting_.size() > settings_.memory_keep) {
    waiting_.pop_front();
    ++context_.counters().drops;
    if (const auto count = overflows_.occurred())
      context_.diagnostic(sdk::Level::error, "queue_overflow",
                          "the queue cannot be written and memory_keep = " + std::to_string(settings_.memory_keep) +
                              " readings are waiting in memory: dropped the " + std::to_string(*count) +
                              " oldest since the last report");
  }
  if (!write_waiting()) waiting_count_ = waiting_.size();
  update_queue_depth();
}

void QueuedDelivery::flush() {
  if (write_waiting()) overflows_.cleared();
  loop_.flush();
}

void QueuedDelivery::stop() {
  write_waiting();
  loop_.stop();
  if (!waiting_.empty()) {
    context_.counters().drops += waiting_.size();
    context_.diagnostic(sdk::Level::error, "queue_overflow",
                        std::to_string(waiting_.size()) +
                            " readings kept in memory could not be written to the queue before stopping and are lost");
  }
}
std::uint64_t QueuedDelivery::pending() const { return loop_.pending(); }

}  // namespace meterd::disk_queue
