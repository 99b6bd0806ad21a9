#include "meterd/disk_queue/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace meterd::disk_queue {

Backoff::Backoff(BackoffOptions options, std::uint64_t seed) : options_(options), random_(seed) {}

std::chrono::milliseconds Backoff::next_delay() {
  const double grown = static_cast<double>(options_.initial.count()) *
                       std::pow(options_.multiplier, static_cast<double>(std::min<std::uint32_t>(failures_, 62)));
  const double base = std::min(grown, static_cast<double>(options_.maximum.count()));
  ++failures_;
  std::uniform_real_distribution<double> jitter(base / 2, base);
  return std::chrono::milliseconds(static_cast<std::int64_t>(jitter(random_)));
}

void Backoff::reset() { failures_ = 0; }

}  // namespace meterd::disk_queue
