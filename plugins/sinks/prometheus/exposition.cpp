#include "exposition.hpp"

#include <charconv>
#include <cstdint>
#include <cmath>
#include <stdexcept>

namespace meterd::prometheus {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not one
// (overlong forms, surrogates and code points above U+10FFFF are invalid too).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  std::uint32_t code = 0;
  if (lead >= 0xC2 && lead <= 0xDF) { length = 2; code = lead & 0x1Fu; }
  else if (lead >= 0xE0 && lead <= 0xEF) { length = 3; code = lead & 0x0Fu; }
  else if (lead >= 0xF0 && lead <= 0xF4) { length = 4; code = lead & 0x07u; }
  else return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
    code = (code << 6) | (byte(i + k) & 0x3Fu);
  }
  if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF))) return 0;
  if (code >= 0xD800 && code <= 0xDFFF) return 0;
  return length;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size();) {
    const std::size_t length = utf8_sequence_length(value, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (length == 1) {
      const char ch = value[i];
      if (ch == '\\') out += "\\\\";
      else if (ch == '"') out += "\\\"";
      else if (ch == '\n') out += "\\n";
      else out += ch;
    } else {
      out.append(value.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  for (const char ch : help) {
    if (ch == '\\') out += "\\\\";
    else if (ch == '\n') out += "\\n";
    else out += ch;
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc{}) return "NaN";  // cannot happen with 64 bytes; never emit a broken line
  return std::string(buffer, end);
}

std::string format_labels(std::initializer_list<Label> labels) {
  std::string out;
  for (const Label& label : labels) {
    if (label.value.empty()) continue;
    out += out.empty() ? "{" : ",";
    out.append(label.name);
    out += "=\"";
    out += escape_label_value(label.value);
    out += '"';
  }
  if (!out.empty()) out += '}';
  return out;
}

FamilySet::Family& FamilySet::family(std::string_view name, MetricType type, std::string_view help) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{type, std::string(help), {}}).first;
  } else if (it->second.type != type) {
    throw std::logic_error("metric family " + std::string(name) + " used as gauge and as counter");
  }
  return it->second;
}

void FamilySet::add(std::string_view name, MetricType type, std::string_view help, std::initializer_list<Label> labels,
                    double value) {
  add_formatted(name, type, help, format_labels(labels), value);
}

void FamilySet::add_formatted(std::string_view name, MetricType type, std::string_view help, std::string labels,
                              double value) {
  family(name, type, help).series.insert_or_assign(std::move(labels), value);
}

std::string FamilySet::render() const {
  std::string out;
  out.reserve(series_count() * 96);
  for (const auto& [name, family] : families_) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += escape_help(family.help);
    out += "\n# TYPE ";
    out += name;
    out += family.type == MetricType::counter ? " counter\n" : " gauge\n";
    for (const auto& [labels, value] : family.series) {
      out += name;
      out += labels;
      out += ' ';
      out += format_value(value);
      out += '\n';
    }
  }
  return out;
}

std::size_t FamilySet::series_count() const {
  std::size_t count = 0;
  for (const auto& entry : families_) count += entry.second.series.size();
  return count;
}

}  // namespace meterd::prometheus
