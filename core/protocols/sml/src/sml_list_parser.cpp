#include "sml_list_parser.hpp"

#include <cstdint>

#include "meterd/dlms_units.hpp"
#include "meterd/obis_quantity.hpp"
#include "meterd/hex.hpp"
#include "sml_time.hpp"

namespace meterd::sml {
namespace {

enum EntryField { kObjName, kStatus, kValTime, kUnit, kScaler, kValue, kSignature };
enum ListField { kClientId, kServerId, kListName, kSensorTime, kValList, kListSignature, kGatewayTime };

// Scalers beyond this are not physical and would overflow the double arithmetic below.
constexpr std::int64_t kMaxScaler = 30;

std::string obis_text(std::span<const std::uint8_t> b) {
  return std::to_string(b[0]) + "-" + std::to_string(b[1]) + ":" + std::to_string(b[2]) + "." +
         std::to_string(b[3]) + "." + std::to_string(b[4]);
}

double scale(long double raw, std::int64_t scaler) {
  long double factor = 1;
  for (std::int64_t i = 0; i < (scaler < 0 ? -scaler : scaler); ++i) factor *= 10;
  // Dividing by an exact power of ten keeps 54301577 x 10^-1 at the double nearest 5430157.7.
  return static_cast<double>(scaler < 0 ? raw / factor : raw * factor);
}

bool is_power(std::span<const std::uint8_t> obis) {
  const int c = obis[2];
  return obis[0] == 1 && obis[3] == 7 && (c == 1 || c == 2 || c == 16 || c == 36 || c == 56 || c == 76);
}

// Number entries: raw integer as sent, scaled into the unit.
void numeric_value(DecodedValue& v, const SmlNode& value, const SmlNode& scaler_node, bool power_fix,
                   std::span<const std::uint8_t> obis) {
  std::int64_t scaler = 0;
  if (scaler_node.is_number() && scaler_node.integer >= -kMaxScaler && scaler_node.integer <= kMaxScaler) {
    scaler = scaler_node.integer;  // sign-extended even when a meter sends it as unsigned
    v.scaler = static_cast<int>(scaler);
  }
  long double raw = 0;
  if (value.type == SmlNode::Type::integer) {
    std::int64_t r = value.integer;
    if (power_fix && r < 0 && value.octets.size() < 8 && is_power(obis))
      r = static_cast<std::int64_t>(value.unsigned_int);  // DZG: sent unsigned although declared signed
    v.raw = r;
    raw = static_cast<long double>(r);
  } else {
    if (value.unsigned_int <= static_cast<std::uint64_t>(INT64_MAX)) v.raw = static_cast<std::int64_t>(value.unsigned_int);
    raw = static_cast<long double>(value.unsigned_int);
  }
  v.value = scale(raw, scaler);
}

std::optional<DecodedValue> decode_entry(const SmlNode& entry, const ListOptions& options,
                                         std::vector<DecoderDiagnostic>& diagnostics) {
  if (!entry.is_list(7) || entry.children[kObjName].type != SmlNode::Type::octets ||
      entry.children[kObjName].octets.size() != 6) {
    diagnostics.push_back({Severity::warning, "bad_entry", "SML list entry without a 6-byte OBIS name skipped"});
    return std::nullopt;
  }
  const auto obis = entry.children[kObjName].octets;
  const SmlNode& value = entry.children[kValue];
  DecodedValue v;
  v.obis = obis_text(obis);
  v.quantity = obis_quantity_name(obis[0], obis[1], obis[2], obis[3], obis[4]);
  if (value.type == SmlNode::Type::octets) {
    if (value.octets.empty()) return std::nullopt;  // value left out: nothing to report
    v.value = octets_as_text(value.octets);
  } else if (value.type == SmlNode::Type::list) {
    diagnostics.push_back({Severity::warning, "bad_entry", "SML entry " + v.obis + " has a list as value; skipped"});
    return std::nullopt;
  } else if (value.type == SmlNode::Type::boolean) {
    v.value = static_cast<double>(value.integer);
  } else {
    const SmlNode& unit = entry.children[kUnit];
    if (unit.type == SmlNode::Type::unsigned_int) v.unit = meterd::dlms_unit_name(static_cast<unsigned>(unit.unsigned_int));
    numeric_value(v, value, entry.children[kScaler], options.reinterpret_negative_power_as_unsigned, obis);
  }
  if (options.zone) v.time = sml_clock_time(entry.children[kValTime], *options.zone);
  return v;
}

}  // namespace

std::string octets_as_text(std::span<const std::uint8_t> bytes) {
  bool printable = !bytes.empty();
  for (std::uint8_t b : bytes) printable = printable && b >= 0x20 && b < 0x7F;
  return printable ? std::string(bytes.begin(), bytes.end()) : to_hex(bytes);
}

std::optional<DecodedMessage> decode_get_list_response(const SmlNode& body, const ListOptions& options,
                                                       std::vector<DecoderDiagnostic>& diagnostics) {
  if (!body.is_list(7) || body.children[kValList].type != SmlNode::Type::list) {
    diagnostics.push_back({Severity::error, "parse_error", "GetList.Res is not list(7) with a value list"});
    return std::nullopt;
  }
  DecodedMessage m;
  m.protocol = "sml";
  if (body.children[kServerId].type == SmlNode::Type::octets) m.meter_id = octets_as_text(body.children[kServerId].octets);
  if (options.zone) m.time = sml_clock_time(body.children[kSensorTime], *options.zone);
  for (const SmlNode& entry : body.children[kValList].children)
    if (auto v = decode_entry(entry, options, diagnostics)) m.values.push_back(std::move(*v));
  return m;
}

}  // namespace meterd::sml
