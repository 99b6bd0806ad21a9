#pragma once
// Reads the shared meter test vectors (<shared>/vectors/*.json) and the project's own
// (tests/vectors/data/*.json) for one protocol, and checks
// decoded values against what they state.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "meterd/decoded_message.hpp"

namespace meterd::testing {

struct ExpectedValue {
  std::string obis;
  std::variant<double, std::string> value;
  std::string unit;  // empty for null
  std::optional<std::int64_t> raw;
  std::optional<int> scaler;
};

struct ProtocolVector {
  std::string id;
  std::vector<std::uint8_t> data;  // hex decoded, or text as Latin-1 bytes
  std::string encryption_key, authentication_key;  // empty when null
  bool decodes = true;
  std::string meter_id;  // empty when null
  std::optional<std::string> time;
  std::vector<ExpectedValue> values;
};

// gtest prints parameters with this instead of dumping the object's bytes.
inline void PrintTo(const ProtocolVector& v, std::ostream* os) { *os << v.id; }

std::string vectors_dir();
// Vectors this project collected itself (tests/vectors/data), same format; read with the shared ones.
std::string project_vectors_dir();
bool vectors_available();
// The JSON documents of one protocol, in file name order; empty when the folder is missing.
std::vector<nlohmann::json> vector_documents(const std::string& protocol);
// Sorted by id; empty when the folder is missing.
std::vector<ProtocolVector> load_vectors(const std::string& protocol);
// The vector id as a GoogleTest parameter name (letters, digits and '_' only).
std::string test_name_of(const ProtocolVector& v);

// The value with that OBIS code, or null.
const DecodedValue* find_value(const DecodedMessage& m, const std::string& obis);
// gtest expectations: present, same unit, same number (relative 1e-9) or text, raw and scaler when stated.
void expect_value(const DecodedMessage& m, const ExpectedValue& e);

// Wall-clock part "YYYY-MM-DDThh:mm:ss" of a meter time, for comparison with `time`.
std::string wall_clock(const MeterTime& t);

}  // namespace meterd::testing
