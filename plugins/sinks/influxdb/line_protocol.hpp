#pragma once
// InfluxDB line protocol: escaping rules per element and formatting of one point.
//   measurement,tag=v,tag2=v2 field=1.5,text="a \"b\"" 1700000000000
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace meterd::influx {

enum class Precision { ns, us, ms, s };
// "ns", "u"/"us", "ms", "s" as in the /write API; std::invalid_argument otherwise.
Precision parse_precision(std::string_view text);
std::string_view precision_name(Precision precision);  // query parameter value

// Measurements escape commas and spaces; tag keys, tag values and field keys also '='.
// Backslashes before those characters are doubled so the server reads them literally.
std::string escape_measurement(std::string_view name);
std::string escape_key(std::string_view key);  // tag keys, tag values, field keys
// String field values are quoted; inside them only '"' and '\' are escaped.
std::string quote_string_field(std::string_view value);

using FieldValue = std::variant<double, std::int64_t, std::string>;

struct Point {
  std::string measurement;
  std::vector<std::pair<std::string, std::string>> tags;  // empty values are left out
  std::vector<std::pair<std::string, FieldValue>> fields;
  std::int64_t time_ms = 0;
};

// One line without the trailing newline; empty when the point has no writable field
// (line protocol has no NaN or infinity).
std::string format_line(const Point& point, Precision precision);

}  // namespace meterd::influx
