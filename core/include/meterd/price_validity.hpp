#pragma once
// Which dynamic energy price holds at an instant. A price feed publishes each price at the
// start of its interval, often a day ahead, and says nothing about the end: a price holds from
// its start until the next price starts, but at most `valid_ms`. After that no price holds (the
// feed stopped), and whoever needs one falls back (the dashboard to its fixed price, reporting
// `price_feed_stale`) or shows none (Prometheus). One rule for every sink, so they agree.
#include <cstdint>
#include <optional>
#include <span>

namespace meterd {

struct PricePoint {
  std::int64_t start_ms = 0;
  double per_kwh = 0;
};

// The price valid at `t_ms` among `points` (ascending by start), or nothing when none started
// within `valid_ms` before it. Prices that start after `t_ms` (day-ahead) are not valid yet.
std::optional<double> price_valid_at(std::span<const PricePoint> points, std::int64_t t_ms, std::int64_t valid_ms);

}  // namespace meterd
