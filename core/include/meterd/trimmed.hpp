#pragma once
// A config list entry without the spaces and tabs around it.
#include <string>
#include <string_view>

namespace meterd {

inline std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

}  // namespace meterd
