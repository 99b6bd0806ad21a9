#pragma once
// The value forms inside a DSMR group "( ... )": fixed-point decimals with an optional unit,
// YYMMDDhhmmss[S|W] timestamps, and hex-encoded ASCII text.
#include <optional>
#include <string>
#include <string_view>

#include "meterd/time_zone.hpp"

namespace meterd::dsmr {

struct NumberWithUnit {
  double value = 0;
  std::string_view unit;  // as sent ("kWh", "kvarh", "m3"); empty when the group has none
};

// "000123.456*kWh", "230.0*V", "00015". Digits with at most one decimal point and an optional
// leading minus; nothing else. The digits are read as an integer and divided by a power of ten
// once, so 0.1-type fractions come out as the nearest double to the printed decimal.
std::optional<NumberWithUnit> parse_number_with_unit(std::string_view group);

struct DsmrTimestamp {
  CivilTime wall;
  std::optional<bool> dst;  // 'S' = true, 'W' = false, absent on some meters
};

// "170102192002W". Field ranges are checked; placeholders such as "632525252525S" fail.
std::optional<DsmrTimestamp> parse_timestamp(std::string_view group);

// True for "700101010000W"-style placeholders that mark an unused M-Bus channel.
bool is_placeholder_timestamp(std::string_view group);

// "4B3845..." -> "K8E...": only when every byte is printable ASCII (or CR/LF/TAB), so binary
// ids are never turned into unreadable strings.
std::optional<std::string> decode_hex_text(std::string_view group);

// An OBIS reference inside a group, e.g. "(0-0:96.7.19)".
bool looks_like_obis(std::string_view group);

}  // namespace meterd::dsmr
