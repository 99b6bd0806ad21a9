#pragma once
// A JSON reply whose bulk is long arrays of numbers (a day of raw points, a week of minutes):
// the numbers are written straight into the text instead of one nlohmann node each, which
// cost several times the store's own query. The other fields still go through nlohmann.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "meterd/http/response.hpp"

namespace meterd::dashboard {

class NumberArray {
 public:
  explicit NumberArray(std::size_t expected = 0) { text_.reserve(expected * 12 + 2); }
  void add(double v);  // non-finite values as null, as nlohmann writes them
  void add(std::int64_t v);
  std::string finish() &&;

 private:
  void separate() { text_ += text_.empty() ? '[' : ','; }
  std::string text_;
};

// `fields` (an object) with the arrays appended under their names (plain ASCII keys).
http::Response json_with_arrays(const nlohmann::json& fields, std::vector<std::pair<const char*, NumberArray>> arrays);

}  // namespace meterd::dashboard
