#include "meterd/dlms/obis_catalogue.hpp"

#include <charconv>

namespace meterd::dlms {
namespace {

struct Row {
  std::uint8_t c, d;
  std::string_view quantity;
  std::string_view unit;
  ObisKind kind;
};

// Electricity (A = 1) quantities by C.D; E selects total (0) or tariff n, appended as "_tn".
constexpr Row kElectricity[] = {
    {1, 7, "active_power_import", "W", ObisKind::power},
    {2, 7, "active_power_export", "W", ObisKind::power},
    {3, 7, "reactive_power_import", "var", ObisKind::power},
    {4, 7, "reactive_power_export", "var", ObisKind::power},
    {5, 7, "reactive_power_q1", "var", ObisKind::power},
    {6, 7, "reactive_power_q2", "var", ObisKind::power},
    {7, 7, "reactive_power_q3", "var", ObisKind::power},
    {8, 7, "reactive_power_q4", "var", ObisKind::power},
    {9, 7, "apparent_power_import", "VA", ObisKind::power},
    {10, 7, "apparent_power_export", "VA", ObisKind::power},
    {13, 7, "power_factor", "", ObisKind::power_factor},
    {14, 7, "frequency", "Hz", ObisKind::frequency},
    {16, 7, "active_power_net", "W", ObisKind::power},
    {21, 7, "active_power_import_l1", "W", ObisKind::power},
    {41, 7, "active_power_import_l2", "W", ObisKind::power},
    {61, 7, "active_power_import_l3", "W", ObisKind::power},
    {22, 7, "active_power_export_l1", "W", ObisKind::power},
    {42, 7, "active_power_export_l2", "W", ObisKind::power},
    {62, 7, "active_power_export_l3", "W", ObisKind::power},
    {31, 7, "current_l1", "A", ObisKind::current},
    {51, 7, "current_l2", "A", ObisKind::current},
    {71, 7, "current_l3", "A", ObisKind::current},
    {91, 7, "current_neutral", "A", ObisKind::current},
    {32, 7, "voltage_l1", "V", ObisKind::voltage},
    {52, 7, "voltage_l2", "V", ObisKind::voltage},
    {72, 7, "voltage_l3", "V", ObisKind::voltage},
    {33, 7, "power_factor_l1", "", ObisKind::power_factor},
    {53, 7, "power_factor_l2", "", ObisKind::power_factor},
    {73, 7, "power_factor_l3", "", ObisKind::power_factor},
    {36, 7, "active_power_net_l1", "W", ObisKind::power},
    {56, 7, "active_power_net_l2", "W", ObisKind::power},
    {76, 7, "active_power_net_l3", "W", ObisKind::power},
    {1, 8, "active_energy_import", "Wh", ObisKind::energy},
    {2, 8, "active_energy_export", "Wh", ObisKind::energy},
    {3, 8, "reactive_energy_import", "varh", ObisKind::energy},
    {4, 8, "reactive_energy_export", "varh", ObisKind::energy},
    {5, 8, "reactive_energy_q1", "varh", ObisKind::energy},
    {6, 8, "reactive_energy_q2", "varh", ObisKind::energy},
    {7, 8, "reactive_energy_q3", "varh", ObisKind::energy},
    {8, 8, "reactive_energy_q4", "varh", ObisKind::energy},
    {9, 8, "apparent_energy_import", "VAh", ObisKind::energy},
    {10, 8, "apparent_energy_export", "VAh", ObisKind::energy},
    {15, 8, "active_energy_absolute", "Wh", ObisKind::energy},
    {16, 8, "active_energy_net", "Wh", ObisKind::energy},
    {21, 8, "active_energy_import_l1", "Wh", ObisKind::energy},
    {41, 8, "active_energy_import_l2", "Wh", ObisKind::energy},
    {61, 8, "active_energy_import_l3", "Wh", ObisKind::energy},
    {22, 8, "active_energy_export_l1", "Wh", ObisKind::energy},
    {42, 8, "active_energy_export_l2", "Wh", ObisKind::energy},
    {62, 8, "active_energy_export_l3", "Wh", ObisKind::energy},
    {0, 2, "list_version", "", ObisKind::identifier},
};

// Tariff registers get their own quantity names without allocating per lookup.
constexpr std::string_view kTariffSuffixed[][5] = {
    {"active_energy_import", "active_energy_import_t1", "active_energy_import_t2", "active_energy_import_t3", "active_energy_import_t4"},
    {"active_energy_export", "active_energy_export_t1", "active_energy_export_t2", "active_energy_export_t3", "active_energy_export_t4"},
    {"reactive_energy_import", "reactive_energy_import_t1", "reactive_energy_import_t2", "reactive_energy_import_t3", "reactive_energy_import_t4"},
    {"reactive_energy_export", "reactive_energy_export_t1", "reactive_energy_export_t2", "reactive_energy_export_t3", "reactive_energy_export_t4"},
    {"reactive_energy_q1", "reactive_energy_q1_t1", "reactive_energy_q1_t2", "reactive_energy_q1_t3", "reactive_energy_q1_t4"},
    {"reactive_energy_q2", "reactive_energy_q2_t1", "reactive_energy_q2_t2", "reactive_energy_q2_t3", "reactive_energy_q2_t4"},
    {"reactive_energy_q3", "reactive_energy_q3_t1", "reactive_energy_q3_t2", "reactive_energy_q3_t3", "reactive_energy_q3_t4"},
    {"reactive_energy_q4", "reactive_energy_q4_t1", "reactive_energy_q4_t2", "reactive_energy_q4_t3", "reactive_energy_q4_t4"},
};

std::optional<ObisInfo> lookup_abstract(const Obis& o) {
  if (o.c == 1 && o.d == 0 && o.e == 0) return ObisInfo{"clock", "", ObisKind::clock};
  if (o.c == 42 && o.d == 0 && o.e == 0) return ObisInfo{"logical_device_name", "", ObisKind::identifier};
  if (o.c == 96 && o.d == 1) return ObisInfo{o.e == 0 ? "meter_serial" : "meter_identifier", "", ObisKind::identifier};
  if (o.c == 25 && o.d == 9 && o.e == 0) return ObisInfo{"push_setup", "", ObisKind::push_setup};
  if (o.c == 24 && o.d == 2) return ObisInfo{"mbus_channel_value", "", ObisKind::other};
  if (o.c == 96 && o.d == 14 && o.e == 0) return ObisInfo{"current_tariff", "", ObisKind::other};
  return std::nullopt;
}

}  // namespace

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

std::optional<ObisInfo> lookup_obis(const Obis& o) {
  if (o.a == 0) return lookup_abstract(o);
  if (o.a != 1) return std::nullopt;
  for (const Row& r : kElectricity) {
    if (r.c != o.c || r.d != o.d) continue;
    ObisInfo info{r.quantity, r.unit, r.kind};
    if (r.d == 8 && r.c >= 1 && r.c <= 8 && o.e >= 1 && o.e <= 4) info.quantity = kTariffSuffixed[r.c - 1][o.e];
    return info;
  }
  return std::nullopt;
}

std::string_view dlms_unit_symbol(std::uint8_t u) {
  switch (u) {
    case 1: return "a";
    case 2: return "mo";
    case 3: return "wk";
    case 4: return "d";
    case 5: return "h";
    case 6: return "min";
    case 7: return "s";
    case 8: return "°";
    case 9: return "°C";
    case 13: return "m³";
    case 14: return "m³";
    case 27: return "W";
    case 28: return "VA";
    case 29: return "var";
    case 30: return "Wh";
    case 31: return "VAh";
    case 32: return "varh";
    case 33: return "A";
    case 34: return "C";
    case 35: return "V";
    case 44: return "Hz";
    case 56: return "%";
    default: return "";
  }
}

IdentityRank identity_rank(const Obis& o) {
  if (o.a != 0 && o.a != 1) return IdentityRank::none;
  if (o.b != 0) return IdentityRank::none;  // B > 0: a sub-meter channel, not this meter
  if (o.a == 0 && o.c == 42 && o.d == 0 && o.e == 0) return IdentityRank::logical_device_name;
  if (o.a == 0 && o.c == 96 && o.d == 1 && o.e == 0) return IdentityRank::serial_96_1_0;
  if (o.a == 0 && o.c == 96 && o.d == 1 && o.e == 1) return IdentityRank::serial_96_1_1;
  if (o.a == 1 && o.c == 0 && o.d == 0) return IdentityRank::serial_other;
  return IdentityRank::none;
}

bool is_clock(const Obis& o) { return o.a == 0 && o.c == 1 && o.d == 0 && o.e == 0; }
bool is_push_setup(const Obis& o) { return o.a == 0 && o.c == 25 && o.d == 9 && o.e == 0; }

}  // namespace meterd::dlms
