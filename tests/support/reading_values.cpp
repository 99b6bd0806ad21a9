#include "reading_values.hpp"

#include <cmath>

namespace meterd::test_support {

double value_of(const v1::Reading& r, const std::string& obis) {
  for (const auto& v : r.values())
    if (v.obis() == obis) return v.value_case() == v1::Value::kText ? NAN : v.number();
  return NAN;
}

std::string text_of(const v1::Reading& r, const std::string& obis) {
  for (const auto& v : r.values())
    if (v.obis() == obis && v.value_case() == v1::Value::kText) return v.text();
  return {};
}

}  // namespace meterd::test_support
