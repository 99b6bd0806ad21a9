#pragma once
// The unit of raw history: one value of one series at one instant.
#include <cstdint>

namespace meterd::dashboard {

struct Point {
  std::int64_t t_ms = 0;
  double value = 0;
};

}  // namespace meterd::dashboard
