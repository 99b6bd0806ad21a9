#include "sml_units.hpp"

namespace meterd::sml {

std::string dlms_unit_name(unsigned code) {
  switch (code) {
    case 1: return "a";
    case 2: return "mo";
    case 3: return "wk";
    case 4: return "d";
    case 5: return "h";
    case 6: return "min";
    case 7: return "s";
    case 8: return "°";
    case 9: return "°C";
    case 13: return "m3";
    case 14: return "m3";  // corrected volume
    case 15: return "m3/h";
    case 16: return "m3/h";  // corrected flow
    case 17: return "m3/d";
    case 18: return "m3/d";
    case 21: return "l";
    case 22: return "kg";
    case 23: return "N";
    case 25: return "J";
    case 26: return "Pa";
    case 27: return "W";
    case 28: return "VA";
    case 29: return "var";
    case 30: return "Wh";
    case 31: return "VAh";
    case 32: return "varh";
    case 33: return "A";
    case 34: return "C";
    case 35: return "V";
    case 36: return "V/m";
    case 37: return "F";
    case 38: return "Ω";
    case 41: return "Wb";
    case 42: return "T";
    case 43: return "A/m";
    case 44: return "Hz";
    case 45: return "1/(Wh)";
    case 46: return "1/(varh)";
    case 47: return "1/(VAh)";
    case 52: return "K";
    case 53: return "1/K";
    case 56: return "%";
    case 57: return "Ah";
    default: return {};
  }
}

}  // namespace meterd::sml
