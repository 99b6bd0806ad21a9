#include "vector_reading_check.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>


namespace meterd::p1_test {

void expect_reading_matches(const v1::Reading& reading, const testing::ProtocolVector& vector,
                            const std::string& fallback_meter_id) {
  SCOPED_TRACE(vector.id);
  EXPECT_EQ(reading.meter_id(), vector.meter_id.empty() ? fallback_meter_id : vector.meter_id);
  ASSERT_FALSE(vector.values.empty());
  for (const auto& want : vector.values) {
    SCOPED_TRACE(want.obis);
    // Some objects repeat (P1 billing history, M-Bus channels): one of them must match.
    bool found = false;
    std::string seen;
    for (const auto& v : reading.values()) {
      if (v.obis() != want.obis) continue;
      if (const double* number = std::get_if<double>(&want.value)) {
        if (v.value_case() == v1::Value::kNumber) {
          found = found || std::fabs(v.number() - *number) <= 1e-9 * std::max(1.0, std::fabs(*number));
          seen += std::to_string(v.number()) + " ";
        }
      } else if (v.value_case() == v1::Value::kText) {
        found = found || v.text() == std::get<std::string>(want.value);
        seen += v.text() + " ";
      }
    }
    EXPECT_TRUE(found) << "reading has: " << (seen.empty() ? "nothing" : seen);
  }
}

std::vector<testing::ProtocolVector> decodable_vectors(const std::string& protocol) {
  std::vector<testing::ProtocolVector> out;
  for (auto& v : testing::load_vectors(protocol))
    if (v.decodes) out.push_back(std::move(v));
  return out;
}

}  // namespace meterd::p1_test
