// The event loop the core reads many meter lines on: descriptors and timers in one thread,
// callbacks that change what is watched while the loop dispatches, and a stop from another
// thread that ends even an endless wait.
#include "meterd/event_loop.hpp"

#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using meterd::EventLoop;
using namespace std::chrono_literals;

namespace {

struct EventFd {
  int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  ~EventFd() { ::close(fd); }
  void signal() const {
    const std::uint64_t one = 1;
    EXPECT_EQ(::write(fd, &one, sizeof one), static_cast<ssize_t>(sizeof one));
  }
  void drain() const {
    std::uint64_t value = 0;
    [[maybe_unused]] const auto n = ::read(fd, &value, sizeof value);
  }
};

}  // namespace

TEST(EventLoop, RunsTimersInOrderAndReadyDescriptorsUntilStopped) {
  EventLoop loop;
  EventFd line;
  std::vector<std::string> seen;
  loop.watch(line.fd, [&] {
    line.drain();
    seen.push_back("line");
    loop.at(EventLoop::Clock::now() + 10ms, [&] {
      seen.push_back("after line");
      loop.stop();
    });
  });
  const auto now = EventLoop::Clock::now();
  loop.at(now + 20ms, [&] {
    seen.push_back("second");
    line.signal();
  });
  loop.at(now + 10ms, [&] { seen.push_back("first"); });
  auto cancelled = loop.at(now + 15ms, [&] { seen.push_back("cancelled"); });
  loop.cancel(cancelled);
  EXPECT_FALSE(cancelled);
  loop.run();
  EXPECT_EQ(seen, (std::vector<std::string>{"first", "second", "line", "after line"}));
}

// A callback may unwatch its own descriptor and another ready one, and cancel a timer due in
// the same round: nothing runs for what was removed.
TEST(EventLoop, WhatACallbackRemovesDoesNotRunAnyMore) {
  EventLoop loop;
  EventFd a, b;
  int a_runs = 0, b_runs = 0, late_runs = 0;
  EventLoop::Timer late;
  loop.watch(a.fd, [&] {
    ++a_runs;
    loop.unwatch(a.fd);
    loop.unwatch(b.fd);
    loop.cancel(late);
  });
  loop.watch(b.fd, [&] {
    ++b_runs;
    loop.unwatch(a.fd);
    loop.unwatch(b.fd);
    loop.cancel(late);
  });
  late = loop.at(EventLoop::Clock::now(), [&] { ++late_runs; });
  loop.at(EventLoop::Clock::now() + 30ms, [&] { loop.stop(); });
  a.signal();
  b.signal();
  loop.run();
  EXPECT_EQ(a_runs + b_runs, 1);
  EXPECT_EQ(late_runs, 0);
}

// Nothing is due and nothing is ready: the loop sleeps without a timeout, and only stop()
// from another thread ends it (without it ctest's time limit would).
TEST(EventLoop, StopFromAnotherThreadEndsAnEndlessWait) {
  EventLoop loop;
  EventFd idle;
  loop.watch(idle.fd, [] { FAIL() << "an idle descriptor is never ready"; });
  std::jthread stopper([&] {
    std::this_thread::sleep_for(50ms);
    loop.stop();
  });
  loop.run();
  SUCCEED();
}

TEST(EventLoop, ACallbackThatThrowsDoesNotEndTheLoop) {
  EventLoop loop;
  bool after = false;
  const auto now = EventLoop::Clock::now();
  loop.at(now, [] { throw std::runtime_error("broken"); });
  loop.at(now + 5ms, [&] {
    after = true;
    loop.stop();
  });
  loop.run();
  EXPECT_TRUE(after);
}

TEST(EventLoop, AStopBeforeRunEndsRunAtOnce) {
  EventLoop loop;
  loop.at(EventLoop::Clock::now() + std::chrono::hours(1), [] { FAIL() << "never due"; });
  loop.stop();
  loop.run();
  SUCCEED();
}
