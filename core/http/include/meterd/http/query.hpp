#pragma once
// Query-string parsing and validation. Every accessor throws HttpError(400) with a message
// naming the parameter and what is accepted, so handlers never see an unchecked value.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meterd/http/request.hpp"

namespace meterd {
class TimeZone;
}

namespace meterd::http {

// Decodes %XX escapes (and '+' as space when `plus_is_space`). Throws HttpError(400) on a bad
// escape or an embedded NUL.
std::string percent_decode(std::string_view text, bool plus_is_space);
std::string percent_encode(std::string_view text);
// "a=1&b=x%20y" -> {a: 1, b: "x y"}; a repeated name throws HttpError(400).
std::map<std::string, std::string> parse_query(std::string_view query);

class QueryParams {
 public:
  explicit QueryParams(const Request& request) : query_(request.query) {}
  explicit QueryParams(const std::map<std::string, std::string>& query) : query_(query) {}

  // Rejects names not in `allowed`, so a typo ("form=") is an error instead of being ignored.
  void allow_only(std::initializer_list<std::string_view> allowed) const;
  bool has(const std::string& name) const { return query_.count(name) != 0; }
  std::optional<std::string> text(const std::string& name, std::size_t max_length = 256) const;
  std::string required_text(const std::string& name, std::size_t max_length = 256) const;
  std::optional<std::int64_t> integer(const std::string& name, std::int64_t min, std::int64_t max) const;
  std::optional<double> number(const std::string& name, double min, double max) const;
  std::optional<bool> boolean(const std::string& name) const;  // true/false/1/0
  // One of a fixed set of words.
  std::optional<std::string> choice(const std::string& name,
                                    std::initializer_list<std::string_view> choices) const;
  // Comma-separated list of non-empty items, each at most `max_length` characters.
  std::optional<std::vector<std::string>> list(const std::string& name, std::size_t max_items,
                                               std::size_t max_length = 128) const;
  // An instant: milliseconds since the epoch, RFC 3339 with offset or "Z", or a local date
  // ("2024-03-31") or local date-time ("2024-03-31T02:30") resolved in `zone`. A local time
  // that does not exist (spring-forward gap) is rejected; a repeated one takes the earlier.
  // Only the years 1970 to 9999 (UTC) are accepted, so no later arithmetic can overflow.
  std::optional<std::int64_t> instant_ms(const std::string& name, const TimeZone& zone) const;

 private:
  const std::map<std::string, std::string>& query_;
};

// The instants the API accepts: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.
inline constexpr std::int64_t kMinInstantMs = 0;
inline constexpr std::int64_t kMaxInstantMs = 253'402'300'799'999;

// The parsing behind QueryParams::instant_ms, for bodies and path segments; nullopt when the
// text is not an instant or lies outside [kMinInstantMs, kMaxInstantMs], throws
// HttpError(400) for a non-existent local time.
std::optional<std::int64_t> parse_instant_ms(std::string_view text, const TimeZone& zone);

}  // namespace meterd::http
