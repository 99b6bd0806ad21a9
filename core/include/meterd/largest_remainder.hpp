#pragma once
// Whole watt-hours from real-valued quotas so that the parts add up exactly (the largest
// remainder method): every part is its quota rounded down, then the parts with the largest
// remainders get one more until the total is met. Ties go to the lower index, so the same
// quotas always give the same parts. A part never exceeds its cap (a participant is never
// given more than it consumed or produced).
#include <cstdint>
#include <vector>

namespace meterd {

// `quotas` and `caps` have one entry per part; `total` must not exceed the sum of the caps
// (throws std::invalid_argument otherwise). Quotas outside [0, cap] are clamped first.
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& quotas,
                                    const std::vector<std::int64_t>& caps);

}  // namespace meterd
