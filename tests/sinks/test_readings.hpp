#pragma once
// Deterministic readings for sink tests: reading `n` of a meter has id "<meter>-<n>", a
// timestamp n seconds after a fixed start, and power, energy, voltage and power factor values
// derived from n, so a test can tell exactly which readings arrived.
#include <cstdint>
#include <string>

#include "meterd/v1/bus.pb.h"

namespace meterd::test {

inline constexpr std::int64_t kFirstReadingMs = 1'700'000'000'000;

v1::Reading make_reading(const std::string& meter, std::int64_t n);
// Appends a number value to `reading`.
v1::Value* add_number(v1::Reading& reading, const char* obis, const char* quantity, double number, const char* unit);

}  // namespace meterd::test
