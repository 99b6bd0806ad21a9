#include "meterd/price_validity.hpp"

#include <algorithm>

namespace meterd {

std::optional<double> price_valid_at(std::span<const PricePoint> points, std::int64_t t_ms, std::int64_t valid_ms) {
  auto it = std::upper_bound(points.begin(), points.end(), t_ms,
                             [](std::int64_t t, const PricePoint& p) { return t < p.start_ms; });
  if (it == points.begin()) return std::nullopt;
  --it;
  if (t_ms - it->start_ms >= valid_ms) return std::nullopt;
  return it->per_kwh;
}

}  // namespace meterd
