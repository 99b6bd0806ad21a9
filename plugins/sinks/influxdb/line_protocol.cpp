#include "line_protocol.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace meterd::influx {
namespace {

std::string escape_chars(std::string_view text, std::string_view special) {
  std::string out;
  out.reserve(text.size() + 4);
  for (const char ch : text) {
    if (ch == '\n' || ch == '\r') {
      out += ' ';  // a newline would end the line; no escape exists for it outside strings
      continue;
    }
    if (special.find(ch) != std::string_view::npos) out += '\\';
    out += ch;
  }
  // A trailing backslash would escape the separator that follows.
  if (!out.empty() && out.back() == '\\' && (out.size() < 2 || out[out.size() - 2] != '\\')) out += '\\';
  return out;
}

std::string format_number(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, ec == std::errc{} ? end : buffer);
}

std::int64_t scale_time(std::int64_t ms, Precision precision) {
  switch (precision) {
    case Precision::ns: return ms * 1'000'000;
    case Precision::us: return ms * 1'000;
    case Precision::ms: return ms;
    case Precision::s: return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  }
  return ms;
}

}  // namespace

Precision parse_precision(std::string_view text) {
  if (text == "ns" || text == "n") return Precision::ns;
  if (text == "us" || text == "u") return Precision::us;
  if (text == "ms") return Precision::ms;
  if (text == "s") return Precision::s;
  throw std::invalid_argument("precision must be ns, us, ms or s, not '" + std::string(text) + "'");
}

std::string_view precision_name(Precision precision) {
  switch (precision) {
    case Precision::ns: return "ns";
    case Precision::us: return "u";  // the 1.x API spells microseconds "u"; 2.x accepts "us"
    case Precision::ms: return "ms";
    case Precision::s: return "s";
  }
  return "ms";
}

std::string escape_measurement(std::string_view name) { return escape_chars(name, ", "); }
std::string escape_key(std::string_view key) { return escape_chars(key, ",= "); }

std::string quote_string_field(std::string_view value) {
  std::string out = "\"";
  for (const char ch : value) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  out += '"';
  return out;
}

std::string format_line(const Point& point, Precision precision) {
  std::string fields;
  for (const auto& [key, value] : point.fields) {
    std::string text;
    if (const double* number = std::get_if<double>(&value)) {
      if (!std::isfinite(*number)) continue;
      text = format_number(*number);
    } else if (const std::int64_t* integer = std::get_if<std::int64_t>(&value)) {
      text = std::to_string(*integer) + "i";
    } else {
      text = quote_string_field(std::get<std::string>(value));
    }
    if (!fields.empty()) fields += ',';
    fields += escape_key(key) + "=" + text;
  }
  if (fields.empty()) return {};

  // The server sorts tags itself, but sorted input is its fast path.
  auto tags = point.tags;
  std::sort(tags.begin(), tags.end());
  std::string line = escape_measurement(point.measurement);
  for (const auto& [key, value] : tags) {
    if (value.empty()) continue;  // an empty tag value is a parse error
    line += ',' + escape_key(key) + '=' + escape_key(value);
  }
  line += ' ';
  line += fields;
  line += ' ';
  line += std::to_string(scale_time(point.time_ms, precision));
  return line;
}

}  // namespace meterd::influx
