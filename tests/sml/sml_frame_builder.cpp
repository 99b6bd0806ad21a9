#include "sml_frame_builder.hpp"

#include <stdexcept>

#include "meterd/crc16.hpp"

namespace meterd::testing::sml_build {
namespace {

// TL for a scalar: the stated length includes the TL bytes themselves.
Bytes scalar_tl(unsigned type, std::size_t payload) {
  if (payload + 1 <= 15) return {static_cast<std::uint8_t>(type << 4 | (payload + 1))};
  const std::size_t total = payload + 2;
  if (total > 0xFF) throw std::invalid_argument("builder supports two TL bytes");
  return {static_cast<std::uint8_t>(0x80 | type << 4 | (total >> 4)), static_cast<std::uint8_t>(total & 0x0F)};
}

Bytes list_tl(std::size_t count) {
  if (count <= 15) return {static_cast<std::uint8_t>(0x70 | count)};
  return {static_cast<std::uint8_t>(0xF0 | (count >> 4)), static_cast<std::uint8_t>(count & 0x0F)};
}

Bytes big_endian(std::uint64_t v, int width) {
  Bytes out;
  for (int i = width - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  return out;
}

void append(Bytes& to, const Bytes& from) { to.insert(to.end(), from.begin(), from.end()); }

}  // namespace

Bytes octets(const Bytes& content) {
  Bytes out = scalar_tl(0, content.size());
  append(out, content);
  return out;
}

Bytes text(const std::string& s) { return octets(Bytes(s.begin(), s.end())); }
Bytes absent() { return {0x01}; }
Bytes u8(std::uint8_t v) { return {0x62, v}; }

Bytes unsigned_n(std::uint64_t v, int width) {
  Bytes out = scalar_tl(6, static_cast<std::size_t>(width));
  append(out, big_endian(v, width));
  return out;
}

Bytes integer_n(std::int64_t v, int width) {
  Bytes out = scalar_tl(5, static_cast<std::size_t>(width));
  append(out, big_endian(static_cast<std::uint64_t>(v), width));
  return out;
}

Bytes list(const std::vector<Bytes>& items) {
  Bytes out = list_tl(items.size());
  for (const auto& i : items) append(out, i);
  return out;
}

Bytes list(std::initializer_list<Bytes> items) { return list(std::vector<Bytes>(items)); }

Bytes obis(int a, int b, int c, int d, int e, int f) {
  return octets({static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b), static_cast<std::uint8_t>(c),
                 static_cast<std::uint8_t>(d), static_cast<std::uint8_t>(e), static_cast<std::uint8_t>(f)});
}

Bytes entry(const Bytes& obis6, const Bytes& unit, const Bytes& scaler, const Bytes& value, const Bytes& val_time) {
  return list({obis6, absent(), val_time, unit, scaler, value, absent()});
}

Bytes message(std::uint16_t tag, const Bytes& body, std::uint8_t transaction, bool wrong_crc) {
  Bytes m = list_tl(6);
  append(m, octets({0x00, transaction}));
  append(m, u8(0));
  append(m, u8(0));
  append(m, list({unsigned_n(tag, 2), body}));
  std::uint16_t crc = crc16_x25(m);
  if (wrong_crc) crc ^= 0x00FF;
  append(m, {0x63, static_cast<std::uint8_t>(crc & 0xFF), static_cast<std::uint8_t>(crc >> 8)});
  m.push_back(0x00);
  return m;
}

Bytes open_response(const Bytes& server_id) {
  return message(0x0101, list({absent(), absent(), octets({0x12, 0x34}), server_id, absent(), absent()}), 1);
}

Bytes get_list_response(const Bytes& server_id, const std::vector<Bytes>& entries, const Bytes& sensor_time) {
  return message(0x0701, list({absent(), server_id, absent(), sensor_time, list(entries), absent(), absent()}), 2);
}

Bytes close_response() { return message(0x0201, list({absent()}), 3); }

Bytes transport(const Bytes& messages, TransportOptions options) {
  Bytes out = {0x1B, 0x1B, 0x1B, 0x1B, 0x01, 0x01, 0x01, 0x01};
  Bytes payload = messages;
  const std::size_t pad = (4 - payload.size() % 4) % 4;
  payload.insert(payload.end(), pad, 0x00);
  for (std::size_t i = 0; i < payload.size(); i += 4) {
    const Bytes block(payload.begin() + static_cast<std::ptrdiff_t>(i), payload.begin() + static_cast<std::ptrdiff_t>(i + 4));
    if (block == Bytes{0x1B, 0x1B, 0x1B, 0x1B}) append(out, block);  // escape by doubling
    append(out, block);
  }
  append(out, {0x1B, 0x1B, 0x1B, 0x1B, 0x1A, static_cast<std::uint8_t>(pad)});
  std::uint16_t crc = crc16_x25(out);
  if (options.wrong_crc) crc ^= 0x8001;
  append(out, {static_cast<std::uint8_t>(crc & 0xFF), static_cast<std::uint8_t>(crc >> 8)});
  return out;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) append(out, p);
  return out;
}

}  // namespace meterd::testing::sml_build
