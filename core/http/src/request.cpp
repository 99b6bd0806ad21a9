#include "meterd/http/request.hpp"

#include <algorithm>
#include <cctype>

#include "header_text.hpp"
#include "meterd/http/http_error.hpp"
#include "meterd/http/query.hpp"

namespace meterd::http {

std::optional<std::string> Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

void Request::parse_target() {
  const auto question = target.find('?');
  const std::string_view raw_path = std::string_view(target).substr(0, question);
  if (raw_path.empty() || raw_path.front() != '/') throw bad_request("request target must be an absolute path");
  // '+' is literal in paths; only the query uses it for spaces.
  path = percent_decode(raw_path, false);
  query.clear();
  if (question != std::string::npos) query = parse_query(std::string_view(target).substr(question + 1));
}

}  // namespace meterd::http
