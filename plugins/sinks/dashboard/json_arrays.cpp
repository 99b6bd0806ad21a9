#include "json_arrays.hpp"

#include <charconv>
#include <cmath>

namespace meterd::dashboard {

void NumberArray::add(double v) {
  separate();
  if (!std::isfinite(v)) {
    text_ += "null";
    return;
  }
  char buffer[32];
  // Shortest text that reads back as the same double, like nlohmann's own output.
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  text_.append(buffer, end);
}

void NumberArray::add(std::int64_t v) {
  separate();
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  text_.append(buffer, end);
}

std::string NumberArray::finish() && {
  if (text_.empty()) return "[]";
  text_ += ']';
  return std::move(text_);
}

std::string json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_text_with_arrays(const nlohmann::json& fields, NamedArrays arrays) {
  std::string body = json_text(fields);
  body.pop_back();  // the closing brace
  bool first = body.size() == 1;
  for (auto& [name, numbers] : arrays) {
    body += first ? "\"" : ",\"";
    body += name;
    body += "\":";
    body += std::move(numbers).finish();
    first = false;
  }
  body += '}';
  return body;
}

http::Response json_reply(const std::string& body) {
  auto response = http::Response::text(200, body, "application/json");
  response.set_header("Cache-Control", "no-store");
  return response;
}

}  // namespace meterd::dashboard
