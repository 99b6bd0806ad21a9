#include "meterd/dlms/obis_catalogue.hpp"

#include <charconv>

namespace meterd::dlms {

Obis Obis::from_bytes(std::span<const std::uint8_t> s) {
  return s.size() >= 6 ? Obis{s[0], s[1], s[2], s[3], s[4], s[5]} : Obis{};
}

std::optional<Obis> Obis::parse(std::string_view text) {
  std::uint8_t parts[6] = {0, 0, 0, 0, 0, 255};
  const char separators[] = {'-', ':', '.', '.', '.'};
  std::size_t pos = 0;
  int count = 0;
  for (; count < 6; ++count) {
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
    if (ec != std::errc() || value > 255) return std::nullopt;
    parts[count] = static_cast<std::uint8_t>(value);
    pos = static_cast<std::size_t>(ptr - text.data());
    if (pos == text.size()) break;
    const char sep = text[pos];
    const bool ok = count < 5 && (sep == separators[count] || (count == 4 && (sep == '*' || sep == '.')));
    if (!ok) return std::nullopt;
    ++pos;
  }
  if (count < 4 || pos != text.size()) return std::nullopt;
  return Obis{parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]};
}

std::string Obis::to_string() const {
  // Formatted by hand: this runs for every value of every push and snprintf dominated profiles.
  char buf[24];
  char* p = buf;
  auto put = [&p](std::uint8_t v) {
    if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
    if (v >= 10) *p++ = static_cast<char>('0' + (v / 10) % 10);
    *p++ = static_cast<char>('0' + v % 10);
  };
  put(a);
  *p++ = '-';
  put(b);
  *p++ = ':';
  put(c);
  *p++ = '.';
  put(d);
  *p++ = '.';
  put(e);
  return std::string(buf, static_cast<std::size_t>(p - buf));
}

std::optional<ObisInfo> lookup_obis(const Obis& o) { return lookup_obis_quantity(o.a, o.b, o.c, o.d, o.e); }

IdentityRank identity_rank(const Obis& o) {
  if (o.a != 0 && o.a != 1) return IdentityRank::none;
  // On abstract objects B > 0 is an M-Bus sub-meter (gas, water), not this meter; electricity
  // objects count their channel from 0 or 1 (the Norwegian Kamstrup list sends 1-1:0.0.5).
  if ((o.a == 0 && o.b != 0) || o.b > 1) return IdentityRank::none;
  if (o.a == 0 && o.c == 42 && o.d == 0 && o.e == 0) return IdentityRank::logical_device_name;
  if (o.a == 0 && o.c == 96 && o.d == 1 && o.e == 0) return IdentityRank::serial_96_1_0;
  if (o.a == 0 && o.c == 96 && o.d == 1 && o.e == 1) return IdentityRank::serial_96_1_1;
  if (o.a == 1 && o.c == 0 && o.d == 0) return IdentityRank::serial_other;
  return IdentityRank::none;
}

bool is_clock(const Obis& o) { return o.a == 0 && o.c == 1 && o.d == 0 && o.e == 0; }
bool is_push_setup(const Obis& o) { return o.a == 0 && o.c == 25 && o.d == 9 && o.e == 0; }

}  // namespace meterd::dlms
