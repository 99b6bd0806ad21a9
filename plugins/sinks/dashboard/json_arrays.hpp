#pragma once
// A JSON reply whose bulk is long arrays of numbers (a day of raw points, a week of minutes):
// the numbers are written straight into the text instead of one nlohmann node each, which
// cost several times the store's own query. The other fields still go through nlohmann.
#include <cstdint>
#include <memory>
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

using NamedArrays = std::vector<std::pair<const char*, NumberArray>>;

// A value's JSON text as every answer writes it (invalid UTF-8 replaced, not thrown).
std::string json_text(const nlohmann::json& value);
// `fields` (an object) with the arrays appended under their names (plain ASCII keys).
std::string json_text_with_arrays(const nlohmann::json& fields, NamedArrays arrays);
// A 200 JSON answer with a finished body (kept for reuse, so copied).
http::Response json_reply(const std::string& body);

}  // namespace meterd::dashboard
