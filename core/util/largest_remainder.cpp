#include "meterd/largest_remainder.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace meterd {

std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& quotas,
                                    const std::vector<std::int64_t>& caps) {
  const auto n = quotas.size();
  if (caps.size() != n) throw std::invalid_argument("apportion: one cap per quota");
  if (total < 0 || total > std::accumulate(caps.begin(), caps.end(), std::int64_t{0}))
    throw std::invalid_argument("apportion: the total exceeds what the parts can take");
  std::vector<std::int64_t> parts(n);
  std::vector<double> remainder(n);
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double q = std::clamp(quotas[i], 0.0, static_cast<double>(caps[i]));
    parts[i] = static_cast<std::int64_t>(std::floor(q));
    remainder[i] = q - static_cast<double>(parts[i]);
    sum += parts[i];
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Largest remainder first; equal remainders in index order (stable sort).
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  // Quotas that do not add up to the total (rounding of doubles, clamped quotas) still end
  // exact: further passes in the same order add (or take) one Wh where the cap allows.
  while (sum < total) {
    for (const auto i : order)
      if (sum < total && parts[i] < caps[i]) ++parts[i], ++sum;
  }
  while (sum > total) {
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      if (sum > total && parts[*it] > 0) --parts[*it], --sum;
  }
  return parts;
}

}  // namespace meterd
