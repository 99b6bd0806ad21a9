#pragma once
// One data line of a telegram: an OBIS code followed by one or more "(...)" groups.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meterd::dsmr {

struct ObisCode {
  int a = -1, b = -1;  // -1 when the line uses the short IEC 62056-21 form "C.D.E"
  int c = 0, d = 0;
  int e = -1;          // -1 for the "C.D" form
  std::string to_string() const;  // "A-B:C.D.E" (F group dropped), or the short form as sent
  bool is(int a_, int c_, int d_, int e_) const { return a == a_ && c == c_ && d == d_ && e == e_; }
};

struct ObisLine {
  ObisCode obis;
  std::vector<std::string_view> groups;  // contents without the parentheses, views into the line
};

// Returns nothing and sets `why` when the line does not follow the grammar.
std::optional<ObisLine> parse_obis_line(std::string_view line, std::string& why);

}  // namespace meterd::dsmr
