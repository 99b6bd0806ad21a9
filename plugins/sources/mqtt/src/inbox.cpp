#include "inbox.hpp"

#include <charconv>

namespace meterd::mqtt_source {

// "<received_ms> <retained> <topic length>\n<topic><payload>": the topic may hold any byte.
std::string encode_message(const IncomingMessage& message) {
  return std::to_string(message.received_ms) + " " + (message.retained ? "1" : "0") + " " +
         std::to_string(message.topic.size()) + "\n" + message.topic + message.payload;
}

std::optional<IncomingMessage> decode_message(const std::string& record) {
  const auto newline = record.find('\n');
  if (newline == std::string::npos) return std::nullopt;
  IncomingMessage message;
  int retained = 0;
  std::size_t topic_size = 0;
  const char* p = record.data();
  const char* end = record.data() + newline;
  auto r = std::from_chars(p, end, message.received_ms);
  if (r.ec != std::errc{} || r.ptr == end) return std::nullopt;
  r = std::from_chars(r.ptr + 1, end, retained);
  if (r.ec != std::errc{} || r.ptr == end) return std::nullopt;
  r = std::from_chars(r.ptr + 1, end, topic_size);
  if (r.ec != std::errc{} || newline + 1 + topic_size > record.size()) return std::nullopt;
  message.retained = retained != 0;
  message.topic = record.substr(newline + 1, topic_size);
  message.payload = record.substr(newline + 1 + topic_size);
  return message;
}

Inbox::Inbox(disk_queue::DiskQueueOptions options, std::uint64_t max_pending)
    : queue_(std::move(options)), max_pending_(max_pending) {}

std::uint64_t Inbox::put(const IncomingMessage& message) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return closed_ || queue_.pending_records() < max_pending_; });
  // Also when closed: the broker's copy goes once we return, so this one must be kept.
  const auto result = queue_.append(encode_message(message));
  changed_.notify_all();
  return result.dropped_records;
}

disk_queue::QueueBatch Inbox::take(std::size_t max_records, std::chrono::milliseconds wait) {
  {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, wait, [&] { return closed_ || queue_.pending_records() > 0; });
  }
  return queue_.peek(max_records, 8ull * 1024 * 1024);
}

void Inbox::done(const disk_queue::QueueBatch& batch) {
  queue_.commit(batch, batch.records.size());
  std::lock_guard lock(mutex_);
  changed_.notify_all();
}

void Inbox::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_all();
}

}  // namespace meterd::mqtt_source
