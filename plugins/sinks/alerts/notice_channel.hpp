#pragma once
// A way to tell the owner (webhook, e-mail, MQTT), and the worker that delivers notices to
// it on a thread of its own: a bounded queue, retries with exponential back-off while the
// server is down, so the pipeline never waits for a slow or absent server.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "alert_engine.hpp"
#include "meterd/disk_queue/backoff.hpp"

namespace meterd::alerts {

class Channel {
 public:
  virtual ~Channel() = default;
  virtual const char* name() const = 0;
  // Delivers one notice; throws std::runtime_error saying what went wrong (kept for retry).
  virtual void deliver(const Notice& notice) = 0;
  virtual void start() {}
  virtual void stop() {}
};

struct ChannelProblem {
  std::string channel, message;
  bool resolved;  // delivery works again after failures
};

class ChannelWorker {
 public:
  using Report = std::function<void(const ChannelProblem&)>;
  ChannelWorker(std::unique_ptr<Channel> channel, std::size_t capacity, disk_queue::BackoffOptions backoff, Report report);
  ~ChannelWorker();
  void start();
  // Never blocks: a full queue loses its oldest notice, which is reported.
  void post(const Notice& notice);
  // Tries what is queued once more (bounded by `grace`), then ends the thread.
  void stop(std::chrono::milliseconds grace);
  const char* name() const { return channel_->name(); }
  std::size_t waiting() const;
  std::uint64_t delivered() const;

 private:
  void run(std::stop_token stop);

  std::unique_ptr<Channel> channel_;
  std::size_t capacity_;
  disk_queue::Backoff backoff_;
  Report report_;
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<Notice> queue_;
  std::uint64_t delivered_ = 0;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point stop_deadline_{};
  std::jthread thread_;
};

}  // namespace meterd::alerts
