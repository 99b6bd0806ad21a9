#pragma once
// The one table of DLMS/COSEM unit codes (IEC 62056-6-2), shared by the DLMS and SML decoders
// (SML list entries carry the same enumeration).
#include <string_view>

namespace meterd {

// Symbol as the DLMS push decoder reports it ("m³"). Empty for 255 ("count"/no unit) and for
// codes it leaves to the OBIS catalogue's unit.
std::string_view dlms_unit_symbol(unsigned code);

// Name as the SML decoder reports it, in ASCII where the symbol has a superscript ("m3").
// Empty for 255 ("count"/no unit) and for codes not in the table (the value still counts).
std::string_view dlms_unit_name(unsigned code);

}  // namespace meterd
