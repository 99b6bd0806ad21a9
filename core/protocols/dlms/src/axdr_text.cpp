#include "meterd/dlms/axdr_text.hpp"

#include <cstdio>

#include "meterd/dlms/cosem_datetime.hpp"
#include "meterd/dlms/obis_catalogue.hpp"
#include "meterd/dlms/push_layouts.hpp"
#include "meterd/hex.hpp"

namespace meterd::dlms {

const char* axdr_type_name(AxdrType t) {
  switch (t) {
    case AxdrType::null_data: return "null-data";
    case AxdrType::array: return "array";
    case AxdrType::structure: return "structure";
    case AxdrType::boolean: return "boolean";
    case AxdrType::bit_string: return "bit-string";
    case AxdrType::double_long: return "double-long";
    case AxdrType::double_long_unsigned: return "double-long-unsigned";
    case AxdrType::octet_string: return "octet-string";
    case AxdrType::visible_string: return "visible-string";
    case AxdrType::utf8_string: return "utf8-string";
    case AxdrType::bcd: return "bcd";
    case AxdrType::integer: return "integer";
    case AxdrType::long_signed: return "long";
    case AxdrType::unsigned_8: return "unsigned";
    case AxdrType::long_unsigned: return "long-unsigned";
    case AxdrType::long64: return "long64";
    case AxdrType::long64_unsigned: return "long64-unsigned";
    case AxdrType::enumeration: return "enum";
    case AxdrType::float32: return "float32";
    case AxdrType::float64: return "float64";
    case AxdrType::date_time: return "date-time";
    case AxdrType::date: return "date";
    case AxdrType::time: return "time";
  }
  return "unknown";
}

std::string axdr_value_text(const AxdrTree& tree, std::size_t i) {
  const AxdrNode& n = tree.node(i);
  if (n.is_container()) return std::to_string(n.length) + (n.length == 1 ? " element" : " elements");
  if (n.type == AxdrType::null_data) return "";
  if (n.type == AxdrType::long64_unsigned) return std::to_string(static_cast<std::uint64_t>(n.integer));
  if (n.is_integer()) return std::to_string(n.integer);
  if (n.type == AxdrType::float32 || n.type == AxdrType::float64) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", n.real);
    return buf;
  }
  const auto bytes = tree.content(n);
  if (n.type == AxdrType::visible_string || n.type == AxdrType::utf8_string) return "\"" + identifier_text(bytes) + "\"";
  std::string text = to_hex(bytes, 64);
  if (bytes.size() == 6) text += " (OBIS " + Obis::from_bytes(bytes).to_string() + ")";
  if (bytes.size() == 12)
    if (auto dt = parse_cosem_datetime(bytes); dt && dt->has_wall_clock()) {
      char buf[48];
      std::snprintf(buf, sizeof buf, " (date-time %04d-%02d-%02dT%02d:%02d:%02d)", dt->year, dt->month, dt->day,
                    dt->hour, dt->minute, dt->second);
      text += buf;
    }
  const std::string printable = identifier_text(bytes);
  if (!bytes.empty() && printable != to_hex(bytes) && bytes.size() != 6 && bytes.size() != 12)
    text += " (\"" + printable + "\")";
  return text;
}

std::vector<int> axdr_depths(const AxdrTree& tree) {
  // A node's depth is the number of containers whose subtree holds it.
  std::vector<int> depth(tree.size(), 0);
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const AxdrNode& n = tree.node(i);
    if (n.is_container())
      for (std::size_t c = i + 1; c < n.end; ++c) ++depth[c];
  }
  return depth;
}

}  // namespace meterd::dlms
