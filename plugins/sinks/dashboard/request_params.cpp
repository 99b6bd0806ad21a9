#include "request_params.hpp"

#include "calendar.hpp"

#include "meterd/http/http_error.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dashboard {

using http::bad_request;
using http::HttpError;
using nlohmann::json;

Range read_range(const http::QueryParams& q, const TimeZone& zone, std::int64_t max_ms) {
  const auto from = q.instant_ms("from", zone);
  const auto to = q.instant_ms("to", zone);
  if (!from) throw bad_request("parameter 'from' is required");
  if (!to) throw bad_request("parameter 'to' is required");
  if (*to <= *from) throw bad_request("parameter 'to' must be after 'from'");
  // Both lie within 1970 to 9999, so the difference cannot overflow.
  if (*to - *from > max_ms)
    throw bad_request("range from 'from' to 'to' too large: at most " + std::to_string(max_ms / kDayMs) +
                      " days for this request");
  return {*from, *to};
}

Direction read_direction(const http::QueryParams& q) {
  const auto d = q.choice("direction", {"import", "export"});
  return d && *d == "export" ? Direction::export_energy : Direction::import_energy;
}

JsonBody JsonBody::parse(const http::Request& request, const std::string& what) {
  if (request.header("content-type").value_or("").rfind("application/json", 0) != 0)
    throw HttpError(415, "send " + what + " as JSON (Content-Type: application/json)");
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) throw bad_request("the body must be a JSON object: " + what);
  return JsonBody(std::move(body));
}

std::optional<std::string> JsonBody::text(const char* name, std::size_t max_length) const {
  if (!has(name)) return std::nullopt;
  const auto& v = body_[name];
  if (!v.is_string()) throw bad_request(std::string("field '") + name + "' must be a string");
  auto s = v.get<std::string>();
  if (s.size() > max_length)
    throw bad_request(std::string("field '") + name + "' is longer than " + std::to_string(max_length) + " characters");
  return s;
}

std::string JsonBody::required_text(const char* name, std::size_t max_length) const {
  auto s = text(name, max_length);
  if (!s) throw bad_request(std::string("field '") + name + "' is required");
  return *s;
}

std::vector<std::string> JsonBody::text_list(const char* name, std::size_t max_items, std::size_t max_length) const {
  const std::string field = std::string("field '") + name + "'";
  if (!has(name)) throw bad_request(field + " is required");
  const auto& v = body_[name];
  if (!v.is_array() || v.empty() || v.size() > max_items)
    throw bad_request(field + " must list 1 to " + std::to_string(max_items) + " strings");
  std::vector<std::string> out;
  for (const auto& item : v) {
    if (!item.is_string() || item.get_ref<const std::string&>().size() > max_length)
      throw bad_request(field + " must hold strings of at most " + std::to_string(max_length) + " characters");
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::int64_t> JsonBody::instant(const char* name, const TimeZone& zone) const {
  if (!has(name)) return std::nullopt;
  const auto& v = body_[name];
  std::optional<std::int64_t> out;
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(http::kMaxInstantMs)) out = static_cast<std::int64_t>(u);
  } else if (v.is_number_integer()) {
    const auto i = v.get<std::int64_t>();
    if (i >= http::kMinInstantMs && i <= http::kMaxInstantMs) out = i;
  } else if (v.is_string() && v.get_ref<const std::string&>().size() <= 40) {
    out = http::parse_instant_ms(v.get<std::string>(), zone);
  }
  if (!out)
    throw bad_request(std::string("field '") + name +
                      "' must be a time within the years 1970 to 9999: milliseconds, RFC 3339 or a local date");
  return out;
}

bool JsonBody::is_date(const char* name) const {
  if (!has(name) || !body_[name].is_string()) return false;
  const auto& text = body_[name].get_ref<const std::string&>();
  return text.size() == 10 && text[4] == '-' && text[7] == '-';
}

Share read_share_spec(const JsonBody& body, const TimeZone& zone, std::int64_t now_ms,
                      const std::function<bool(const std::string&)>& known_meter) {
  Share share;
  share.meters = body.text_list("meters", 32, 128);
  for (const auto& m : share.meters)
    if (!known_meter(m)) throw bad_request("unknown meter '" + m + "' in field 'meters'");
  const auto from = body.instant("from", zone), to = body.instant("to", zone);
  if (!from) throw bad_request("field 'from' is required");
  if (!to) throw bad_request("field 'to' is required");
  if (*to <= *from) throw bad_request("field 'to' must be after 'from'");
  share.from_ms = *from;
  share.to_ms = *to;
  if (auto e = body.instant("expires", zone)) {
    // A date means the end of that local day, as a person setting "valid until" means it.
    if (body.is_date("expires")) *e = period_next(Period::day, *e, zone);
    if (*e <= now_ms) throw bad_request("field 'expires' must be in the future");
    share.expires_ms = *e;
  }
  if (!parse_detail(body.required_text("detail", 16), share.detail))
    throw bad_request("field 'detail' must be daily, hourly or full");
  share.label = body.text("label", 200).value_or("");
  return share;
}

}  // namespace meterd::dashboard
