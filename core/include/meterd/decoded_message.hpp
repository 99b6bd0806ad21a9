#pragma once
// What every meter protocol decoder (DLMS, DSMR, SML) produces. Plain C++ without protobuf,
// so decoders, fuzzers and the `meterd decode` CLI stay light; source plugins turn these
// into bus Readings.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace meterd {

struct MeterTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millisecond = 0;
  // Offset east of UTC in minutes when known, either stated by the frame or derived from the
  // configured local zone. Unknown when neither applies.
  std::optional<int> utc_offset_minutes;
  bool offset_stated_by_meter = false;
  std::optional<bool> dst;  // DST flag as sent (DLMS status bit 0x80, DSMR 'S'/'W')
};

struct DecodedValue {
  std::string obis;                         // "A-B:C.D.E"
  std::variant<double, std::string> value;  // after scaling; identifiers as strings
  std::string unit;                         // physical unit, empty when none
  std::optional<std::int64_t> raw;          // integer on the wire, where there is one
  std::optional<int> scaler;                // power of ten applied
  std::string quantity;                     // catalogue name, e.g. "active_power_import"
  std::optional<MeterTime> time;            // own timestamp (DSMR M-Bus channels)
};

struct DecodedMessage {
  std::string protocol;  // "dlms", "dsmr", "sml"
  std::string meter_id;  // empty when the message carries none
  std::optional<MeterTime> time;
  std::vector<DecodedValue> values;
  std::optional<std::uint32_t> frame_counter;  // DLMS invocation counter when ciphered
};

enum class Severity { debug, info, warning, error };

struct DecoderDiagnostic {
  Severity severity = Severity::warning;
  std::string code;     // machine readable, e.g. "crc_error", "wrong_key"
  std::string message;  // for a person: what is wrong and what to do
};

const char* severity_name(Severity s);

// One JSON object on one line, the `meterd decode` output contract (docs/decode-cli.md).
std::string to_json_line(const DecodedMessage& m);
// ISO 8601 of a meter time: with offset when known, wall clock otherwise.
std::string format_meter_time(const MeterTime& t);

}  // namespace meterd
