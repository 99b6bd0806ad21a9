#pragma once
// Catalogue names (DecodedValue::quantity) for the OBIS codes P1 and SML meters send.
#include <string>

namespace meterd::dsmr {

// Empty when the code is not in the catalogue; the value is still delivered under its OBIS.
// `a` and `b` may be -1 for short-form codes (treated as electricity, channel 0).
std::string obis_quantity(int a, int b, int c, int d, int e);

}  // namespace meterd::dsmr
