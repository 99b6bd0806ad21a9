#pragma once
// Compares a reading that went through a source plugin with what a shared test vector says
// the meter sent, so the plugin tests check values and not merely that something arrived.
#include <string>
#include <vector>

#include "meterd/v1/bus.pb.h"
#include "protocol_vectors.hpp"

namespace meterd::p1_test {

// Every expected value is in the reading with the same number or text; the meter id is the
// vector's, or `fallback_meter_id` when the vector's meter sends none.
void expect_reading_matches(const v1::Reading& reading, const testing::ProtocolVector& vector,
                            const std::string& fallback_meter_id);

// The vectors of `protocol` that are expected to decode.
std::vector<testing::ProtocolVector> decodable_vectors(const std::string& protocol);

}  // namespace meterd::p1_test
