#pragma once
// JSON replies whose bulk is many numbers (a day of raw points, a week of minutes, a year of
// days with cost and coverage): the numbers are written straight into the text instead of one
// nlohmann node each, which cost several times the store's own query. The other fields
// still go through nlohmann.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "meterd/http/response.hpp"

namespace meterd::dashboard {

// A value that may be unknown: the number, or null.
inline nlohmann::json or_null(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

// A number as nlohmann would write it, but shortest: non-finite values as null.
void append_number(std::string& out, double v);
void append_number(std::string& out, std::int64_t v);
// Doubles hold every integer below this exactly.
inline constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
// Rounded to `decimals` (0 to 6) places, trailing zeros dropped: for averages and integrated
// energies, whose full 17 digits say nothing a meter measured and made up most of a week's
// answer and of the time to write it.
void append_rounded(std::string& out, double v, int decimals);

// One JSON object written field by field (keys are the answers' own plain ASCII names).
class JsonFields {
 public:
  explicit JsonFields(std::string& out) : out_(out) { out_ += '{'; }
  JsonFields(const JsonFields&) = delete;
  JsonFields& operator=(const JsonFields&) = delete;
  ~JsonFields() { out_ += '}'; }
  void number(const char* key, double v) { append_number(name(key), v); }
  void number(const char* key, std::int64_t v) { append_number(name(key), v); }
  void null(const char* key) { name(key) += "null"; }
  void text(const char* key, const std::string& value);

 private:
  std::string& name(const char* key);
  std::string& out_;
  bool first_ = true;
};

class NumberArray {
 public:
  explicit NumberArray(std::size_t expected = 0) { text_.reserve(expected * 14 + 2); }
  void add(double v);  // non-finite values as null, as nlohmann writes them
  void add(std::int64_t v);
  void add_rounded(double v, int decimals);  // see append_rounded
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
