#include "meterd/sink/value_kind.hpp"

#include <charconv>

namespace meterd::sink {
namespace {

bool read_int(std::string_view& text, int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc{}) return false;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return true;
}

bool expect(std::string_view& text, char separator) {
  if (text.empty() || text.front() != separator) return false;
  text.remove_prefix(1);
  return true;
}

// C groups per quantity, from the OBIS electricity table (IEC 62056-61): 20/40/60 offsets
// repeat the totals per phase L1/L2/L3.
std::string phase_of(int c) {
  if (c >= 21 && c <= 40) return "L1";
  if (c >= 41 && c <= 60) return "L2";
  if (c >= 61 && c <= 80) return "L3";
  return {};
}

int total_c(int c) {
  if (c >= 21 && c <= 80) return (c - 1) % 20 + 1;
  return c;
}

ValueClass from_obis(const ObisCode& code) {
  ValueClass result;
  if (code.a == 7 || (code.a == 0 && code.c == 24 && code.d == 2)) {
    result.kind = ValueKind::gas_volume;  // DSMR M-Bus channels are gas meters in practice
    result.is_register = true;
    return result;
  }
  if (code.a == 8 || code.a == 9) {
    result.kind = ValueKind::water_volume;
    result.is_register = true;
    return result;
  }
  if (code.a != 1) return result;
  const int c = total_c(code.c);
  result.phase = phase_of(code.c);
  const bool instantaneous = code.d == 7 || code.d == 4 || code.d == 5 || code.d == 24 || code.d == 25;
  const bool energy = code.d == 8 || code.d == 9 || code.d == 29;
  if (instantaneous) {
    if (c == 1 || c == 2 || c == 15 || c == 16 || c == 36) result.kind = ValueKind::active_power;
    else if (c >= 3 && c <= 8) result.kind = ValueKind::reactive_power;
    else if (c == 9 || c == 10) result.kind = ValueKind::apparent_power;
    else if (c == 11 || c == 31 || c == 91) result.kind = ValueKind::current;
    else if (c == 12 || c == 32) result.kind = ValueKind::voltage;
    else if (c == 13 || c == 33) result.kind = ValueKind::power_factor;
    else if (c == 14) result.kind = ValueKind::frequency;
    // Per-phase C groups 31/32/33 map to 11/12/13 by total_c already; 36 is SML net power.
    if (code.c >= 21 && code.c <= 80) {
      const int within = (code.c - 1) % 20 + 1;
      if (within == 11) result.kind = ValueKind::current;
      if (within == 12) result.kind = ValueKind::voltage;
      if (within == 13) result.kind = ValueKind::power_factor;
      if (within == 16) result.kind = ValueKind::active_power;
    }
    return result;
  }
  if (energy) {
    if (c == 1 || c == 2 || c == 15 || c == 16) result.kind = ValueKind::active_energy;
    else if (c >= 3 && c <= 8) result.kind = ValueKind::reactive_energy;
    else if (c == 9 || c == 10) result.kind = ValueKind::apparent_energy;
    if (result.kind != ValueKind::other) {
      result.is_register = true;
      result.may_decrease = c == 16;  // net A+ - A- goes down while exporting
    }
  }
  return result;
}

ValueClass from_unit(std::string_view unit, std::string_view quantity) {
  ValueClass result;
  if (unit == "W" || unit == "kW") result.kind = ValueKind::active_power;
  else if (unit == "var" || unit == "kvar") result.kind = ValueKind::reactive_power;
  else if (unit == "VA" || unit == "kVA") result.kind = ValueKind::apparent_power;
  else if (unit == "Wh" || unit == "kWh") result.kind = ValueKind::active_energy;
  else if (unit == "varh" || unit == "kvarh") result.kind = ValueKind::reactive_energy;
  else if (unit == "VAh" || unit == "kVAh") result.kind = ValueKind::apparent_energy;
  else if (unit == "V") result.kind = ValueKind::voltage;
  else if (unit == "A") result.kind = ValueKind::current;
  else if (unit == "Hz") result.kind = ValueKind::frequency;
  else if ((unit == "m3" || unit == "m³") && quantity.find("water") != std::string_view::npos) result.kind = ValueKind::water_volume;
  else if (unit == "m3" || unit == "m³") result.kind = ValueKind::gas_volume;
  else if (quantity.find("power_factor") != std::string_view::npos) result.kind = ValueKind::power_factor;
  result.is_register = result.kind == ValueKind::active_energy || result.kind == ValueKind::reactive_energy ||
                       result.kind == ValueKind::apparent_energy || result.kind == ValueKind::gas_volume ||
                       result.kind == ValueKind::water_volume;
  result.may_decrease = result.is_register && quantity.find("net") != std::string_view::npos;
  for (const char* phase : {"l1", "l2", "l3"}) {
    if (quantity.ends_with(std::string("_") + phase) || quantity.find(std::string("_") + phase + "_") != std::string_view::npos) {
      result.phase = std::string(1, 'L') + phase[1];
    }
  }
  return result;
}

}  // namespace

std::optional<ObisCode> parse_obis(std::string_view text) {
  ObisCode code;
  if (!read_int(text, code.a) || !expect(text, '-') || !read_int(text, code.b) || !expect(text, ':') ||
      !read_int(text, code.c) || !expect(text, '.') || !read_int(text, code.d) || !expect(text, '.') ||
      !read_int(text, code.e)) {
    return std::nullopt;
  }
  if (!text.empty() && text.front() != '.' && text.front() != '*') return std::nullopt;
  return code;
}

ValueClass classify_value(std::string_view obis, std::string_view quantity, std::string_view unit) {
  if (const auto code = parse_obis(obis)) {
    ValueClass by_obis = from_obis(*code);
    if (by_obis.kind != ValueKind::other) return by_obis;
  }
  return from_unit(unit, quantity);
}

const char* kind_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::active_power: return "power";
    case ValueKind::reactive_power: return "reactive_power";
    case ValueKind::apparent_power: return "apparent_power";
    case ValueKind::active_energy: return "energy";
    case ValueKind::reactive_energy: return "reactive_energy";
    case ValueKind::apparent_energy: return "apparent_energy";
    case ValueKind::voltage: return "voltage";
    case ValueKind::current: return "current";
    case ValueKind::power_factor: return "power_factor";
    case ValueKind::frequency: return "frequency";
    case ValueKind::gas_volume: return "gas";
    case ValueKind::water_volume: return "water";
    case ValueKind::other: return "other";
  }
  return "other";
}

ScaledValue normalize_unit(ValueKind kind, double value, std::string_view unit) {
  switch (kind) {
    case ValueKind::active_power:
      if (unit == "kW") return {value * 1000, "W"};
      return {value, "W"};
    case ValueKind::reactive_power:
      if (unit == "kvar") return {value * 1000, "var"};
      return {value, "var"};
    case ValueKind::apparent_power:
      if (unit == "kVA") return {value * 1000, "VA"};
      return {value, "VA"};
    case ValueKind::active_energy:
      if (unit == "Wh") return {value / 1000, "kWh"};
      return {value, "kWh"};
    case ValueKind::reactive_energy:
      if (unit == "varh") return {value / 1000, "kvarh"};
      return {value, "kvarh"};
    case ValueKind::apparent_energy:
      if (unit == "VAh") return {value / 1000, "kVAh"};
      return {value, "kVAh"};
    case ValueKind::gas_volume:
    case ValueKind::water_volume:
      return {value, "m³"};
    case ValueKind::power_factor:
      if (unit == "%") return {value / 100, ""};
      return {value, ""};
    default:
      return {value, std::string(unit)};
  }
}

}  // namespace meterd::sink
