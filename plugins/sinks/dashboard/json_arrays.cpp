#include "json_arrays.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

namespace meterd::dashboard {

void append_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buffer[32];
  // Shortest text that reads back as the same double, like nlohmann's own output.
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  out.append(buffer, end);
}

void append_number(std::string& out, std::int64_t v) {
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  out.append(buffer, end);
}

std::string& JsonFields::name(const char* key) {
  if (!first_) out_ += ',';
  first_ = false;
  ((out_ += '"') += key) += "\":";
  return out_;
}

void JsonFields::text(const char* key, const std::string& value) { name(key) += json_text(value); }

void NumberArray::add(double v) {
  separate();
  append_number(text_, v);
}

void NumberArray::add(std::int64_t v) {
  separate();
  append_number(text_, v);
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
  // Sized once: a week of minutes is half a megabyte, copied again at each doubling otherwise.
  std::vector<std::string> texts;
  std::size_t size = body.size() + 1;
  for (auto& [name, numbers] : arrays) size += std::strlen(name) + 4 + texts.emplace_back(std::move(numbers).finish()).size();
  body.reserve(size);
  auto text = texts.begin();
  for (auto& [name, numbers] : arrays) {
    body += first ? "\"" : ",\"";
    body += name;
    body += "\":";
    body += *text++;
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
