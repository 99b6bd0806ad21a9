#pragma once
// One thread waiting on many descriptors and timers at once (epoll), so a thousand meter lines
// cost one sleeping thread rather than a thousand. The core runs one for the pipeline's sources
// that wait only on descriptors (Source::attach); a source run on its own thread may run a
// private one. Nothing wakes the loop but a ready descriptor, a due timer or stop().
//
// Threading: watch, unwatch, at and cancel are called on the loop's thread (from a callback),
// or while the loop is not running. stop() may be called from any thread.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>

namespace meterd {

class EventLoop {
 public:
  using Clock = std::chrono::steady_clock;
  using Callback = std::function<void()>;
  // Names one pending timer; a default-constructed one names none.
  struct Timer {
    Clock::time_point when{};
    std::uint64_t id = 0;
    explicit operator bool() const { return id != 0; }
    auto operator<=>(const Timer&) const = default;
  };

  // Throws std::system_error when the kernel refuses the epoll or event descriptor.
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // `on_ready` runs each time `fd` has input, a hang-up or an error, until unwatch(fd).
  // Throws std::system_error when the descriptor cannot be watched (epoll does not take
  // regular files).
  void watch(int fd, Callback on_ready);
  // Before the descriptor is closed: a callback may never run for a stale one.
  void unwatch(int fd);
  // Runs `fn` once at `when` (at once when it has passed), after the ready descriptors.
  Timer at(Clock::time_point when, Callback fn);
  // Forgets a pending timer and clears `timer`; nothing when it has run or is empty.
  void cancel(Timer& timer);

  // Waits and dispatches until stop(). A callback that throws is logged and the loop goes on.
  void run();
  // Thread safe; run() returns after the callback it is in (or at once), also when stop()
  // came before run().
  void stop();

 private:
  void dispatch_ready(int ready);
  void run_due_timers();
  int wait_ms() const;

  int epoll_fd_ = -1;
  int stop_fd_ = -1;
  // Shared so a callback that unwatches its own descriptor does not destroy itself mid-call.
  std::unordered_map<int, std::shared_ptr<Callback>> watched_;
  std::map<Timer, Callback> timers_;
  std::uint64_t next_timer_id_ = 1;
  bool stopped_ = false;
};

}  // namespace meterd
