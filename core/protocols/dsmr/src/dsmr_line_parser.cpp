#include "dsmr_line_parser.hpp"

namespace meterd::dsmr {
namespace {

// Reads up to three digits (OBIS fields are 0..255) and advances `pos`.
std::optional<int> read_field(std::string_view s, std::size_t& pos) {
  int value = 0, digits = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (++digits > 3) return std::nullopt;
    value = value * 10 + (s[pos++] - '0');
  }
  if (digits == 0 || value > 255) return std::nullopt;
  return value;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

// "A-B:C.D.E[*F]" or the short forms "C.D.E" and "C.D" used by IEC 62056-21 style meters.
std::optional<ObisCode> read_obis(std::string_view s, std::size_t& pos) {
  ObisCode code;
  const auto first = read_field(s, pos);
  if (!first) return std::nullopt;
  if (pos < s.size() && s[pos] == '-') {
    ++pos;
    const auto b = read_field(s, pos);
    if (!b || !expect(s, pos, ':')) return std::nullopt;
    const auto c = read_field(s, pos);
    if (!c) return std::nullopt;
    code.a = *first;
    code.b = *b;
    code.c = *c;
  } else {
    code.c = *first;
  }
  if (!expect(s, pos, '.')) return std::nullopt;
  const auto d = read_field(s, pos);
  if (!d) return std::nullopt;
  code.d = *d;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const auto e = read_field(s, pos);
    if (!e) return std::nullopt;
    code.e = *e;
  } else if (code.a >= 0) {
    return std::nullopt;  // the full form always has an E group
  }
  if (pos < s.size() && s[pos] == '*') {
    ++pos;
    if (!read_field(s, pos)) return std::nullopt;
  }
  return code;
}

}  // namespace

std::string ObisCode::to_string() const {
  std::string s;
  if (a >= 0) s = std::to_string(a) + "-" + std::to_string(b) + ":";
  s += std::to_string(c) + "." + std::to_string(d);
  if (e >= 0) s += "." + std::to_string(e);
  return s;
}

std::optional<ObisLine> parse_obis_line(std::string_view line, std::string& why) {
  std::size_t pos = 0;
  ObisLine out;
  const auto code = read_obis(line, pos);
  if (!code) {
    why = "no OBIS code at the start of the line";
    return std::nullopt;
  }
  out.obis = *code;
  while (pos < line.size() && line[pos] == '(') {
    const auto close = line.find(')', pos + 1);
    if (close == std::string_view::npos) {
      why = "unclosed '(' group";
      return std::nullopt;
    }
    const auto content = line.substr(pos + 1, close - pos - 1);
    if (content.find('(') != std::string_view::npos) {
      why = "nested '(' inside a group";
      return std::nullopt;
    }
    out.groups.push_back(content);
    pos = close + 1;
  }
  // Trailing blanks are harmless; anything else means the line is not what it seems.
  while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
  if (pos != line.size() || out.groups.empty()) {
    why = out.groups.empty() ? "OBIS code without a value group" : "unexpected text after the last group";
    return std::nullopt;
  }
  return out;
}

}  // namespace meterd::dsmr
