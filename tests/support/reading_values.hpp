#pragma once
#include <string>

#include "meterd/v1/bus.pb.h"

namespace meterd::test_support {

// The number under `obis` in a reading (NaN when absent or text).
double value_of(const v1::Reading& r, const std::string& obis);
// The text under `obis` in a reading (empty when absent or a number).
std::string text_of(const v1::Reading& r, const std::string& obis);

}  // namespace meterd::test_support
