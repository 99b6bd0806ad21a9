#include "notice_channel.hpp"

namespace meterd::alerts {

ChannelWorker::ChannelWorker(std::unique_ptr<Channel> channel, std::size_t capacity, disk_queue::BackoffOptions backoff,
                             Report report)
    : channel_(std::move(channel)), capacity_(capacity), backoff_(backoff), report_(std::move(report)) {}

ChannelWorker::~ChannelWorker() { stop(std::chrono::milliseconds(0)); }

void ChannelWorker::start() {
  channel_->start();
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void ChannelWorker::post(const Notice& notice) {
  bool dropped = false;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= capacity_) {
      queue_.pop_front();
      dropped = true;
    }
    queue_.push_back(notice);
  }
  wake_.notify_all();
  if (dropped)
    report_({channel_->name(), std::string("the queue of undelivered notices is full (") + std::to_string(capacity_) +
                                   "); the oldest was dropped. Check that the server is reachable", false});
}

std::size_t ChannelWorker::waiting() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::uint64_t ChannelWorker::delivered() const {
  std::lock_guard lock(mutex_);
  return delivered_;
}

void ChannelWorker::stop(std::chrono::milliseconds grace) {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    stop_deadline_ = std::chrono::steady_clock::now() + grace;
  }
  wake_.notify_all();
  thread_.request_stop();
  thread_.join();
  channel_->stop();
}

void ChannelWorker::run(std::stop_token stop) {
  bool failing = false;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, stop, [&] { return !queue_.empty(); });
    if (queue_.empty() || (stopping_ && std::chrono::steady_clock::now() >= stop_deadline_)) return;
    const Notice notice = queue_.front();
    lock.unlock();
    std::string error;
    try {
      channel_->deliver(notice);
    } catch (const std::exception& e) {
      error = e.what();
    }
    lock.lock();
    if (error.empty()) {
      if (!queue_.empty()) queue_.pop_front();
      ++delivered_;
      backoff_.reset();
      if (failing) {
        failing = false;
        lock.unlock();
        report_({channel_->name(), "delivers again", true});
        lock.lock();
      }
      continue;
    }
    const auto delay = backoff_.next_delay();
    if (!failing) {
      failing = true;
      lock.unlock();
      report_({channel_->name(), error + "; retrying with back-off, notices wait in memory", false});
      lock.lock();
    }
    // Stopping: what failed stays undelivered (reported above); the server is not hammered.
    if (stop.stop_requested()) return;
    wake_.wait_for(lock, stop, delay, [] { return false; });
  }
}

}  // namespace meterd::alerts
