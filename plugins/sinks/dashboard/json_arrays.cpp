#include "json_arrays.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace meterd::dashboard {

void append_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  // Whole numbers (watts, watt-hours, times) are most of what answers carry: their digits
  // come several times faster than the shortest-double search finds the same text.
  if (std::trunc(v) == v && std::fabs(v) < kExactIntegers) {
    append_number(out, static_cast<std::int64_t>(v));
    return;
  }
  char buffer[32];
  // Shortest text that reads back as the same double, like nlohmann's own output.
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  out.append(buffer, end);
}

void append_rounded(std::string& out, double v, int decimals) {
  static constexpr std::int64_t kScale[] = {1, 10, 100, 1'000, 10'000, 100'000, 1'000'000};
  const auto scale = kScale[std::clamp(decimals, 0, 6)];
  if (!std::isfinite(v) || std::fabs(v) >= kExactIntegers / static_cast<double>(scale)) {
    append_number(out, v);
    return;
  }
  auto scaled = std::llround(v * static_cast<double>(scale));
  if (scaled < 0) {
    out += '-';
    scaled = -scaled;
  }
  append_number(out, static_cast<std::int64_t>(scaled / scale));
  auto fraction = scaled % scale;
  if (fraction == 0) return;
  char digits[8] = {'.'};
  std::size_t length = 1;
  for (auto unit = scale / 10; unit > 0; unit /= 10) digits[length++] = static_cast<char>('0' + fraction / unit % 10);
  while (digits[length - 1] == '0') --length;
  out.append(digits, length);
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

void NumberArray::add_rounded(double v, int decimals) {
  separate();
  append_rounded(text_, v, decimals);
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
