#pragma once
// Exponential backoff with jitter for retrying a server. Jitter spreads the retries of many
// meterd instances (or sinks) that lost the same server at the same moment.
#include <chrono>
#include <cstdint>
#include <random>

namespace meterd::disk_queue {

struct BackoffOptions {
  std::chrono::milliseconds initial{500};
  std::chrono::milliseconds maximum{60'000};
  double multiplier = 2.0;
};

class Backoff {
 public:
  explicit Backoff(BackoffOptions options, std::uint64_t seed = std::random_device{}());
  // The wait before the next attempt: a random value in [base/2, base] where base grows by
  // `multiplier` per consecutive failure up to `maximum`.
  std::chrono::milliseconds next_delay();
  void reset();
  std::uint32_t failures() const { return failures_; }

 private:
  BackoffOptions options_;
  std::mt19937_64 random_;
  std::uint32_t failures_ = 0;
};

}  // namespace meterd::disk_queue
