#pragma once
// One open Server-Sent Events connection. Any thread may send(); the server writes queued
// events as soon as it is woken. A client that cannot keep up is disconnected instead of
// letting the queue grow without bound.
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace meterd::http {

class EventStream {
 public:
  explicit EventStream(std::size_t max_queued_bytes = 1u << 20) : max_queued_bytes_(max_queued_bytes) {}

  // Queues one event. Returns false when the stream is closed (drop it from your list).
  // `data` may contain newlines; each line becomes a "data:" field.
  bool send(std::string_view event, std::string_view data, std::string_view id = {});
  // Queues an SSE comment, used as a keep-alive.
  bool comment(std::string_view text);
  void close();
  bool closed() const;

  // For the server: the waker is called (under the stream's lock, so it must only post)
  // whenever something was queued; take() empties the queue.
  void attach(std::function<void()> waker);
  std::string take();

 private:
  bool enqueue(std::string&& text);
  mutable std::mutex mutex_;
  std::string queued_;
  std::function<void()> waker_;
  bool closed_ = false;
  std::size_t max_queued_bytes_;
};

// Formats one event in the text/event-stream syntax.
std::string format_event(std::string_view event, std::string_view data, std::string_view id);

}  // namespace meterd::http
