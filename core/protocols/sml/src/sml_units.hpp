#pragma once
// DLMS/COSEM unit codes (IEC 62056-62), as used in SML list entries.
#include <string>

namespace meterd::sml {

// Empty for 255 ("count"/no unit) and for codes not in the table (the value still counts).
std::string dlms_unit_name(unsigned code);

}  // namespace meterd::sml
