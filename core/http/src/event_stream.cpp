#include "meterd/http/event_stream.hpp"

namespace meterd::http {

std::string format_event(std::string_view event, std::string_view data, std::string_view id) {
  std::string out;
  out.reserve(data.size() + event.size() + 32);
  if (!id.empty()) out.append("id: ").append(id).append("\n");
  if (!event.empty()) out.append("event: ").append(event).append("\n");
  std::size_t start = 0;
  while (true) {
    auto nl = data.find('\n', start);
    out.append("data: ").append(data.substr(start, nl == std::string_view::npos ? data.npos : nl - start)).append("\n");
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  out.append("\n");
  return out;
}

bool EventStream::send(std::string_view event, std::string_view data, std::string_view id) {
  return enqueue(format_event(event, data, id));
}

bool EventStream::comment(std::string_view text) { return enqueue(": " + std::string(text) + "\n\n"); }

bool EventStream::enqueue(std::string&& text) {
  std::lock_guard lock(mutex_);
  if (closed_) return false;
  if (queued_.size() + text.size() > max_queued_bytes_) {
    // The client is not reading; closing beats buffering without limit.
    closed_ = true;
    if (waker_) waker_();
    return false;
  }
  queued_ += text;
  if (waker_) waker_();
  return true;
}

void EventStream::close() {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  if (waker_) waker_();
  waker_ = nullptr;
}

bool EventStream::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void EventStream::attach(std::function<void()> waker) {
  std::lock_guard lock(mutex_);
  waker_ = std::move(waker);
  if (waker_ && (!queued_.empty() || closed_)) waker_();
}

std::string EventStream::take() {
  std::lock_guard lock(mutex_);
  std::string out;
  out.swap(queued_);
  return out;
}

}  // namespace meterd::http
