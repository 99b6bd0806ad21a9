#pragma once
// Test-side encoder of synthetic DLMS pushes, written independently of the library's encoder
// (own CRC, A-XDR, framing and OpenSSL calls) so an encoder bug cannot mask a decoder bug.
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace dlms_test {

using Bytes = std::vector<std::uint8_t>;
using Key = std::array<std::uint8_t, 16>;
using Title = std::array<std::uint8_t, 8>;

namespace axdr {
Bytes structure(std::initializer_list<Bytes> elements);
Bytes array(std::initializer_list<Bytes> elements);
Bytes structure_of(const std::vector<Bytes>& elements);
Bytes u8(std::uint8_t v);
Bytes i8(std::int8_t v);
Bytes u16(std::uint16_t v);
Bytes i16(std::int16_t v);
Bytes u32(std::uint32_t v);
Bytes i32(std::int32_t v);
Bytes u64(std::uint64_t v);
Bytes i64(std::int64_t v);
Bytes enumerated(std::uint8_t v);
Bytes octets(const Bytes& b);
Bytes text(const std::string& s);          // octet-string holding ASCII
Bytes visible(const std::string& s);       // visible-string
Bytes obis(int a, int b, int c, int d, int e, int f = 255);
Bytes null_data();
// 12-byte COSEM date-time; deviation std::nullopt = 0x8000.
Bytes datetime_raw(int year, int month, int day, int hour, int minute, int second, std::optional<int> deviation,
                   std::uint8_t status, int hundredths = 0);
Bytes datetime(int year, int month, int day, int hour, int minute, int second, std::optional<int> deviation,
               std::uint8_t status);  // as octet-string 09 0C ...
}  // namespace axdr

struct CaptureItem {
  std::uint16_t class_id;
  Bytes obis;  // 09 06 ...
  std::int8_t attribute;
  Bytes value;
};

// Layout A body with the push setup 0-8:25.9.0 as the first two capture objects.
Bytes capture_list_body(const std::vector<CaptureItem>& items);
// Data-notification: 0F invoke [0C datetime | 00] body.
Bytes notification(std::uint32_t invoke_id, const std::optional<Bytes>& header_datetime_raw, const Bytes& body);
// general-glo-ciphering with OpenSSL directly; `ak` set => SC A bit must be set and a tag is appended.
Bytes glo_cipher(const Bytes& plaintext, const Key& ek, const std::optional<Key>& ak, std::uint8_t sc,
                 const Title& st, std::uint32_t fc);

std::uint16_t crc_x25(const std::uint8_t* p, std::size_t n);
Bytes hdlc_frame(const Bytes& info, bool segmented = false, Bytes dst = {0xCE, 0xFF}, Bytes src = {0x03},
                 std::uint8_t control = 0x13);
// GBT: LLC + block 1, then blocks of `block` bytes, one HDLC frame each. `order` permutes blocks.
Bytes gbt_frames(const Bytes& apdu, std::size_t block, const std::vector<int>& order = {});
// HDLC segmentation: LLC + APDU split into frames of `segment` info bytes (A8 ... A0).
Bytes hdlc_segments(const Bytes& apdu, std::size_t segment);
// M-Bus long frames with CI segmentation and TSAP 01 67.
Bytes mbus_frames(const Bytes& apdu, std::size_t segment);
// One unsegmented HDLC frame with LLC + APDU.
Bytes hdlc_single(const Bytes& apdu);

Key key_from_hex(const std::string& hex);

// A VSE-2026-like E450 push (layout A) with given values.
struct E450Values {
  std::string ldn = "LGZ1030653520967";
  std::uint32_t a_plus = 482939, a_minus = 0, r_plus = 37, r_minus = 344697, p_plus = 28, p_minus = 0;
  std::uint16_t u[3] = {236, 236, 0};
  std::uint16_t i[3] = {9, 8, 0};
  int year = 2026, month = 5, day = 4, hour = 11, minute = 39, second = 21;
};
Bytes e450_body(const E450Values& v);

}  // namespace dlms_test
