#pragma once
// OBIS codes as DLMS carries them, and what meterd knows about them: quantity name, physical
// unit, kind, from the table shared with the P1 and SML decoders (meterd/obis_quantity.hpp).
// Electricity lookups ignore B, because DSOs push the same quantity as 1-0:x and 1-1:x; B
// stays in the reported code.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "meterd/dlms_units.hpp"
#include "meterd/obis_quantity.hpp"

namespace meterd::dlms {

struct Obis {
  std::uint8_t a = 0, b = 0, c = 0, d = 0, e = 0, f = 255;

  static Obis from_bytes(std::span<const std::uint8_t> six);
  // Accepts "A-B:C.D.E" and "A-B:C.D.E.F" (also with '*' or '.' before F).
  static std::optional<Obis> parse(std::string_view text);
  std::string to_string() const;  // "A-B:C.D.E" (F dropped, as the vectors and sinks use it)
  std::array<std::uint8_t, 6> bytes() const { return {a, b, c, d, e, f}; }
  bool same_cde(std::uint8_t c_, std::uint8_t d_, std::uint8_t e_) const { return c == c_ && d == d_ && e == e_; }
  friend bool operator==(const Obis&, const Obis&) = default;
};

using meterd::ObisKind;
using ObisInfo = meterd::ObisQuantity;

// Empty for codes the catalogue does not know; such values are still reported with their raw value.
std::optional<ObisInfo> lookup_obis(const Obis& code);

// DLMS unit enumeration (IEC 62056-6-2 table) to symbol; empty for "count"/unknown codes.
using meterd::dlms_unit_symbol;

// The object-class pattern of the meter's own identity objects, in §11.3 preference order.
enum class IdentityRank { logical_device_name = 0, serial_96_1_0 = 1, serial_96_1_1 = 2, serial_other = 3, none = 99 };
IdentityRank identity_rank(const Obis& code);
bool is_clock(const Obis& code);
bool is_push_setup(const Obis& code);

}  // namespace meterd::dlms
