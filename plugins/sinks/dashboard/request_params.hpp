#pragma once
// The dashboard API's parameters, read and checked before anything uses them: time ranges
// (instants within 1970 to 9999, spans measured without overflow) and JSON bodies whose
// every field is type-checked, so bad input is a 400 naming the field, never a 500.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access_control.hpp"
#include "meterd/http/query.hpp"
#include "statistics.hpp"

namespace meterd {
class TimeZone;
}

namespace meterd::dashboard {

inline constexpr std::int64_t kDayMs = 86'400'000;

struct Range {
  std::int64_t from, to;
};

// from/to are required; the range must be positive and no longer than `max_ms`.
Range read_range(const http::QueryParams& q, const TimeZone& zone, std::int64_t max_ms);
Direction read_direction(const http::QueryParams& q);

// A parsed JSON object body; every accessor throws HttpError(400) naming the field.
class JsonBody {
 public:
  // Refuses a missing or non-JSON content type (415) and anything but an object (400).
  static JsonBody parse(const http::Request& request, const std::string& what);

  bool has(const char* name) const { return body_.contains(name) && !body_[name].is_null(); }
  std::optional<std::string> text(const char* name, std::size_t max_length) const;
  std::string required_text(const char* name, std::size_t max_length) const;
  std::vector<std::string> text_list(const char* name, std::size_t max_items, std::size_t max_length) const;
  // Milliseconds or a time as the query parameters take it, within 1970 to 9999.
  std::optional<std::int64_t> instant(const char* name, const TimeZone& zone) const;
  // Whether the field is a bare local date (YYYY-MM-DD) rather than an instant.
  bool is_date(const char* name) const;

 private:
  explicit JsonBody(nlohmann::json body) : body_(std::move(body)) {}
  nlohmann::json body_;
};

// A share as POST /api/admin/shares describes it; `known_meter` says which ids exist.
Share read_share_spec(const JsonBody& body, const TimeZone& zone, std::int64_t now_ms,
                      const std::function<bool(const std::string&)>& known_meter);

}  // namespace meterd::dashboard
