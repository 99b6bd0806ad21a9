#include "meterd/event_loop.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <limits>
#include <system_error>

#include "meterd/runtime/log.hpp"

namespace meterd {
namespace {

std::system_error errno_error(const char* what) { return {errno, std::generic_category(), what}; }

void add_input(int epoll_fd, int fd) {
  epoll_event e{};
  e.events = EPOLLIN;
  e.data.fd = fd;
  if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &e) != 0) throw errno_error("epoll_ctl add");
}

template <typename Fn>
void guarded(Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    log::error("event-loop", std::string("a callback failed: ") + e.what());
  }
}

}  // namespace

EventLoop::EventLoop() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw errno_error("epoll_create1");
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd_ < 0) {
    ::close(epoll_fd_);
    throw errno_error("eventfd");
  }
  add_input(epoll_fd_, stop_fd_);
}

EventLoop::~EventLoop() {
  ::close(stop_fd_);
  ::close(epoll_fd_);
}

void EventLoop::watch(int fd, Callback on_ready) {
  add_input(epoll_fd_, fd);
  watched_[fd] = std::make_shared<Callback>(std::move(on_ready));
}

void EventLoop::unwatch(int fd) {
  if (watched_.erase(fd) == 0) return;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
}

EventLoop::Timer EventLoop::at(Clock::time_point when, Callback fn) {
  const Timer timer{when, next_timer_id_++};
  timers_.emplace(timer, std::move(fn));
  return timer;
}

void EventLoop::cancel(Timer& timer) {
  if (timer) timers_.erase(timer);
  timer = {};
}

void EventLoop::stop() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(stop_fd_, &one, sizeof one);
}

int EventLoop::wait_ms() const {
  if (timers_.empty()) return -1;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(timers_.begin()->first.when - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, std::numeric_limits<int>::max()));
}

void EventLoop::run() {
  std::array<epoll_event, 256> events{};
  while (!stopped_) {
    const int ready = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), wait_ms());
    if (ready < 0 && errno != EINTR) throw errno_error("epoll_wait");
    for (int i = 0; i < ready && !stopped_; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      if (fd == stop_fd_) {
        stopped_ = true;
        break;
      }
      // Looked up now: an earlier callback of this round may have unwatched it.
      const auto found = watched_.find(fd);
      if (found == watched_.end()) continue;
      const auto callback = found->second;
      guarded(*callback);
    }
    if (!stopped_) run_due_timers();
  }
}

void EventLoop::run_due_timers() {
  const auto now = Clock::now();
  // One at a time, so a callback may still cancel a timer due in the same round. Only timers
  // that existed before: one set for "at once" waits for the next round, after the
  // descriptors, so a busy source cannot starve the others.
  const std::uint64_t newest = next_timer_id_;
  auto it = timers_.begin();
  while (!stopped_ && it != timers_.end() && it->first.when <= now) {
    if (it->first.id >= newest) {
      ++it;
      continue;
    }
    Callback fn = std::move(it->second);
    const Timer done = it->first;
    timers_.erase(it);
    guarded(fn);
    it = timers_.upper_bound(done);
  }
}

}  // namespace meterd
