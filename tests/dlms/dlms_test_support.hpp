#pragma once
// Shared test helpers: reading the vectors, running a decoder over bytes in chosen chunks, and
// comparing values.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meterd/decoded_message.hpp"
#include "meterd/dlms/dlms_stream_decoder.hpp"
#include "protocol_vectors.hpp"

namespace dlms_test {

using Bytes = std::vector<std::uint8_t>;

struct ExpectedValue {
  std::string obis;
  std::optional<double> number;
  std::optional<std::string> text;
  std::optional<std::string> unit;
  std::optional<std::int64_t> raw;
  std::optional<int> scaler;
};

struct Vector {
  std::string id, meter, framing, strength;
  Bytes data;
  std::optional<std::string> encryption_key, authentication_key;
  bool decodes = true;
  std::optional<std::string> meter_id, time;
  std::vector<ExpectedValue> values;
};

using meterd::testing::vectors_dir;
// All vectors with "protocol": "dlms"; empty when the shared folder is absent.
std::vector<Vector> load_dlms_vectors();

struct DecoderRun {
  std::vector<meterd::DecodedMessage> messages;
  std::vector<meterd::DecoderDiagnostic> diagnostics;
  meterd::DecoderCounters counters;
  bool has(const std::string& code) const;
  std::size_t count(const std::string& code) const;
  // Messages and diagnostic codes as one text, for chunking comparisons.
  std::string fingerprint() const;
};

// Feeds `data` split at the given cut points (sorted, in 1..size-1), then finish().
DecoderRun run_decoder(const meterd::dlms::DlmsConfig& config, const Bytes& data, const std::vector<std::size_t>& cuts = {});
DecoderRun run_bytewise(const meterd::dlms::DlmsConfig& config, const Bytes& data);

meterd::dlms::DlmsConfig config_for(const Vector& v);
using meterd::testing::find_value;
double number_of(const meterd::DecodedValue& v);
Bytes concat(std::initializer_list<Bytes> parts);

}  // namespace dlms_test
