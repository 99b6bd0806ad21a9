#pragma once
// One field of a CSV row as RFC 4180 writes it: quoted only when it holds a separator, a
// quote or a line break, quotes doubled inside.
#include <string>
#include <string_view>

namespace meterd {

void append_csv_field(std::string& out, std::string_view field);

}  // namespace meterd
