#pragma once
// Synthetic SML files for tests: TL-encoded values, messages with their CRC, and the
// transport layer with escaping, padding and CRC — optionally broken.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace meterd::testing::sml_build {

using Bytes = std::vector<std::uint8_t>;

Bytes octets(const Bytes& content);
Bytes text(const std::string& s);
Bytes absent();  // "01"
Bytes u8(std::uint8_t v);
Bytes unsigned_n(std::uint64_t v, int width);
Bytes integer_n(std::int64_t v, int width);
Bytes list(std::initializer_list<Bytes> items);
Bytes list(const std::vector<Bytes>& items);

// list(7) value entry: objName, status, valTime, unit, scaler, value, signature.
Bytes entry(const Bytes& obis6, const Bytes& unit, const Bytes& scaler, const Bytes& value,
            const Bytes& val_time = absent());
Bytes obis(int a, int b, int c, int d, int e, int f = 255);

// A complete message list(6) + end-of-message, with a correct (or wrong) message CRC.
Bytes message(std::uint16_t tag, const Bytes& body, std::uint8_t transaction = 1, bool wrong_crc = false);
Bytes open_response(const Bytes& server_id);
Bytes get_list_response(const Bytes& server_id, const std::vector<Bytes>& entries, const Bytes& sensor_time = absent());
Bytes close_response();

struct TransportOptions {
  bool wrong_crc = false;
};
// Start sequence, escaped payload, padding to 4 bytes, end sequence and CRC (LSB first).
Bytes transport(const Bytes& messages, TransportOptions options = {});

Bytes concat(std::initializer_list<Bytes> parts);

}  // namespace meterd::testing::sml_build
