#pragma once
// Messages between the broker's acknowledgement and the sinks. The broker forgets a QoS 1
// message once we acknowledged it, and libmosquitto acknowledges when the message callback
// returns; so the callback first appends the message to this disk queue (the project's
// store-and-forward queue). The source's thread takes messages from it, publishes their
// readings, and removes them only after every local sink has made them durable
// (SourceContext::checkpoint). A kill -9 anywhere in between loses nothing: what was not
// acknowledged comes again from the broker, what was comes again from here.
//
// Back-pressure: put() waits while `max_pending` messages are waiting, which stops the
// network thread from reading; the broker keeps the rest for our persistent session.
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>

#include "meterd/disk_queue/disk_queue.hpp"
#include "message_decoder.hpp"

namespace meterd::mqtt_source {

std::string encode_message(const IncomingMessage& message);
std::optional<IncomingMessage> decode_message(const std::string& record);

class Inbox {
 public:
  Inbox(disk_queue::DiskQueueOptions options, std::uint64_t max_pending);
  const disk_queue::RecoveryReport& recovery() const { return queue_.recovery(); }

  // Appends; waits while full until there is room or close() was called (a stopping source
  // appends without waiting). Returns the number of older messages the disk budget pushed out.
  std::uint64_t put(const IncomingMessage& message);
  // The oldest waiting messages, waiting up to `wait` for one to arrive.
  disk_queue::QueueBatch take(std::size_t max_records, std::chrono::milliseconds wait);
  void done(const disk_queue::QueueBatch& batch);
  std::uint64_t pending() const { return queue_.pending_records(); }
  void close();

 private:
  disk_queue::DiskQueue queue_;
  std::uint64_t max_pending_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool closed_ = false;
};

}  // namespace meterd::mqtt_source
