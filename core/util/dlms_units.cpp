#include "meterd/dlms_units.hpp"

namespace meterd {
namespace {

struct UnitRow {
  unsigned code;
  std::string_view name;    // SML spelling
  std::string_view symbol;  // DLMS spelling; empty where the DLMS decoder falls back to the OBIS catalogue
};

// The two spellings differ only where the decoders always have: volumes, and the codes beyond
// the common electricity/time set, which only SML reports itself.
constexpr UnitRow kUnits[] = {
    {1, "a", "a"},
    {2, "mo", "mo"},
    {3, "wk", "wk"},
    {4, "d", "d"},
    {5, "h", "h"},
    {6, "min", "min"},
    {7, "s", "s"},
    {8, "°", "°"},
    {9, "°C", "°C"},
    {13, "m3", "m³"},
    {14, "m3", "m³"},  // corrected volume
    {15, "m3/h", ""},
    {16, "m3/h", ""},  // corrected flow
    {17, "m3/d", ""},
    {18, "m3/d", ""},
    {21, "l", ""},
    {22, "kg", ""},
    {23, "N", ""},
    {25, "J", ""},
    {26, "Pa", ""},
    {27, "W", "W"},
    {28, "VA", "VA"},
    {29, "var", "var"},
    {30, "Wh", "Wh"},
    {31, "VAh", "VAh"},
    {32, "varh", "varh"},
    {33, "A", "A"},
    {34, "C", "C"},
    {35, "V", "V"},
    {36, "V/m", ""},
    {37, "F", ""},
    {38, "Ω", ""},
    {41, "Wb", ""},
    {42, "T", ""},
    {43, "A/m", ""},
    {44, "Hz", "Hz"},
    {45, "1/(Wh)", ""},
    {46, "1/(varh)", ""},
    {47, "1/(VAh)", ""},
    {52, "K", ""},
    {53, "1/K", ""},
    {56, "%", "%"},
    {57, "Ah", ""},
};

const UnitRow* find_unit(unsigned code) {
  for (const UnitRow& row : kUnits)
    if (row.code == code) return &row;
  return nullptr;
}

}  // namespace

std::string_view dlms_unit_symbol(unsigned code) {
  const UnitRow* row = find_unit(code);
  return row ? row->symbol : std::string_view{};
}

std::string_view dlms_unit_name(unsigned code) {
  const UnitRow* row = find_unit(code);
  return row ? row->name : std::string_view{};
}

}  // namespace meterd
