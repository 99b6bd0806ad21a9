#pragma once
// A-XDR Data encoding, the inverse of AxdrTree: used by the push encoder (simulator) and tests.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace meterd::dlms {

// Appends an A-XDR length: one byte below 0x80, else 81 nn / 82 nn nn / 84 nn nn nn nn.
void append_axdr_length(std::vector<std::uint8_t>& out, std::size_t length);

class AxdrWriter {
 public:
  explicit AxdrWriter(std::vector<std::uint8_t>& out) : out_(out) {}

  AxdrWriter& structure(std::size_t count) { return header(0x02, count); }
  AxdrWriter& array(std::size_t count) { return header(0x01, count); }
  AxdrWriter& null_data() { out_.push_back(0x00); return *this; }
  AxdrWriter& boolean(bool v) { out_.push_back(0x03); out_.push_back(v ? 1 : 0); return *this; }
  AxdrWriter& int8(std::int8_t v) { return fixed(0x0F, static_cast<std::uint8_t>(v), 1); }
  AxdrWriter& uint8(std::uint8_t v) { return fixed(0x11, v, 1); }
  AxdrWriter& int16(std::int16_t v) { return fixed(0x10, static_cast<std::uint16_t>(v), 2); }
  AxdrWriter& uint16(std::uint16_t v) { return fixed(0x12, v, 2); }
  AxdrWriter& int32(std::int32_t v) { return fixed(0x05, static_cast<std::uint32_t>(v), 4); }
  AxdrWriter& uint32(std::uint32_t v) { return fixed(0x06, v, 4); }
  AxdrWriter& int64(std::int64_t v) { return fixed(0x14, static_cast<std::uint64_t>(v), 8); }
  AxdrWriter& uint64(std::uint64_t v) { return fixed(0x15, v, 8); }
  AxdrWriter& enumeration(std::uint8_t v) { return fixed(0x16, v, 1); }
  AxdrWriter& octet_string(std::span<const std::uint8_t> bytes);
  AxdrWriter& octet_string(std::string_view text);
  AxdrWriter& visible_string(std::string_view text);
  AxdrWriter& obis(const std::array<std::uint8_t, 6>& code) { return octet_string(std::span<const std::uint8_t>(code)); }
  // {scaler int8, unit enum}, the scaler_unit attribute of register objects.
  AxdrWriter& scaler_unit(std::int8_t scaler, std::uint8_t unit) { return structure(2).int8(scaler).enumeration(unit); }

 private:
  AxdrWriter& header(std::uint8_t tag, std::size_t count);
  AxdrWriter& fixed(std::uint8_t tag, std::uint64_t v, int bytes);
  std::vector<std::uint8_t>& out_;
};

}  // namespace meterd::dlms
