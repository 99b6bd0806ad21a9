#pragma once
// Polls a condition until it holds or the timeout passes; tests use it instead of sleeps.
#include <chrono>
#include <thread>

namespace meterd::test {

template <typename Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return true;
}

}  // namespace meterd::test
