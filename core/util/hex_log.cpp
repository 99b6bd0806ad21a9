#include "meterd/hex_log.hpp"

#include <algorithm>

namespace meterd {
namespace {

bool is_hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool all_hex(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_hex_digit); }
bool all_decimal(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view strip_0x(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  return s;
}

std::vector<std::string_view> split(std::string_view s, std::string_view separators) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || separators.find(s[i]) != std::string_view::npos) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return parts;
}

// "12:34:56" or "9:05:01.123": a clock column, although its pieces are two digits like bytes.
bool is_clock(std::string_view s) {
  const auto dot = s.find('.');
  if (dot != std::string_view::npos) return false;  // fractions make it non-hex anyway
  const auto parts = split(s, ":");
  if (parts.size() != 3) return false;
  for (auto p : parts)
    if (!all_decimal(p) || p.size() > 2) return false;
  return std::stoi(std::string(parts[0])) < 24 && std::stoi(std::string(parts[1])) < 60 &&
         std::stoi(std::string(parts[2])) < 61;
}

struct Token {
  std::string_view text;  // as written, for the offset rule
  std::string hex;        // the hex digits it stands for; empty when it is no hex
  bool odd = false;       // a compact run of an odd number of digits (usable on a line of its own)
};

Token classify(std::string_view raw) {
  Token t{raw, {}, false};
  std::string_view s = raw;
  while (!s.empty() && std::string_view("[({<\"'").find(s.front()) != std::string_view::npos) s.remove_prefix(1);
  while (!s.empty() && std::string_view("])}>\"',;").find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  if (s.empty() || is_clock(s)) return t;
  const auto pieces = split(s, ":-,");
  if (pieces.size() > 1) {
    // Separated bytes: every piece exactly one byte.
    std::string hex;
    for (auto p : pieces) {
      p = strip_0x(p);
      if (p.size() != 2 || !all_hex(p)) return t;
      hex += p;
    }
    t.hex = std::move(hex);
    return t;
  }
  s = strip_0x(s);
  if (!all_hex(s)) return t;
  t.hex = s;
  t.odd = s.size() % 2 != 0;
  return t;
}

std::vector<Token> tokens_of(std::string_view line) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_blank(line[i])) ++i;
    if (i > start) tokens.push_back(classify(line.substr(start, i - start)));
  }
  return tokens;
}

// xxd prints "00000010: 7ea0 8bce ...  ~......": the offset ends with ':' and the ASCII column
// follows two spaces after the hex groups; hexdump -C puts the ASCII column between bars.
std::string_view without_dump_columns(std::string_view line) {
  const auto bar = line.find('|');
  if (bar != std::string_view::npos && line.find_last_not_of(" \t\r") == line.rfind('|') && bar != line.rfind('|'))
    line = line.substr(0, bar);
  std::size_t lead = 0;
  while (lead < line.size() && is_blank(line[lead])) ++lead;
  std::size_t colon = lead;
  while (colon < line.size() && is_hex_digit(line[colon])) ++colon;
  if (colon - lead >= 4 && colon < line.size() && line[colon] == ':' && colon + 1 < line.size() &&
      line[colon + 1] == ' ') {
    const auto ascii = line.find("  ", colon + 2);
    line = line.substr(colon + 1, ascii == std::string_view::npos ? std::string_view::npos : ascii - colon - 1);
  }
  return line;
}

}  // namespace

void HexLogReader::feed(std::span<const std::uint8_t> text, std::vector<std::uint8_t>& out) {
  for (std::uint8_t c : text) {
    if (c == '\n') {
      take_line(line_, out);
      line_.clear();
    } else {
      line_.push_back(static_cast<char>(c));
    }
  }
}

void HexLogReader::finish(std::vector<std::uint8_t>& out) {
  take_line(line_, out);
  line_.clear();
}

void HexLogReader::digits(std::string_view hex, std::vector<std::uint8_t>& out) {
  auto value = [](char c) -> std::uint8_t {
    if (c <= '9') return static_cast<std::uint8_t>(c - '0');
    return static_cast<std::uint8_t>((c | 0x20) - 'a' + 10);
  };
  for (char c : hex) {
    if (high_nibble_) {
      out.push_back(static_cast<std::uint8_t>(*high_nibble_ << 4 | value(c)));
      high_nibble_.reset();
    } else {
      high_nibble_ = value(c);
    }
  }
}

void HexLogReader::take_line(std::string_view line, std::vector<std::uint8_t>& out) {
  const std::vector<Token> tokens = tokens_of(without_dump_columns(line));
  if (tokens.empty()) return;
  // A line of one compact run may split a byte (text wrapped at a fixed column).
  if (tokens.size() == 1 && !tokens[0].hex.empty()) {
    if (tokens[0].text.size() == offset_width_) {  // hexdump's closing line: the length, as an offset
      ++lines_without_hex_;
      return;
    }
    ++lines_with_hex_;
    digits(tokens[0].hex, out);
    return;
  }
  // The longest run of whole-byte tokens, the later one on a tie.
  std::size_t best_begin = 0, best_end = 0;
  for (std::size_t i = 0; i < tokens.size();) {
    if (tokens[i].hex.empty() || tokens[i].odd) {
      ++i;
      continue;
    }
    std::size_t j = i;
    std::size_t digits_in_run = 0;
    while (j < tokens.size() && !tokens[j].hex.empty() && !tokens[j].odd) digits_in_run += tokens[j++].hex.size();
    std::size_t best_digits = 0;
    for (std::size_t k = best_begin; k < best_end; ++k) best_digits += tokens[k].hex.size();
    if (digits_in_run >= best_digits) best_begin = i, best_end = j;
    i = j;
  }
  // One short number among words is a count or a level in a log message ("Received 24 bytes").
  const bool lone_number = best_end - best_begin == 1 && tokens[best_begin].hex.size() < 8;
  if (best_end == best_begin || lone_number) {
    ++lines_without_hex_;
    return;
  }
  // An offset column: 4 to 8 digits in front of tokens of a different, smaller width.
  const Token& first = tokens[best_begin];
  if (best_end - best_begin >= 2 && first.text.size() >= 4 && first.text.size() <= 8 && all_hex(first.text) &&
      tokens[best_begin + 1].text.size() < first.text.size()) {
    offset_width_ = first.text.size();
    ++best_begin;
  }
  ++lines_with_hex_;
  for (std::size_t k = best_begin; k < best_end; ++k) digits(tokens[k].hex, out);
}

std::vector<std::uint8_t> hex_from_log(std::string_view text) {
  HexLogReader reader;
  std::vector<std::uint8_t> out;
  reader.feed(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), out);
  reader.finish(out);
  return out;
}

bool looks_like_hex_text(std::span<const std::uint8_t> head) {
  if (head.empty()) return false;
  for (std::uint8_t c : head)
    if (!(c == '\n' || c == '\t' || c == '\r' || (c >= 0x20 && c < 0x7F))) return false;
  HexLogReader reader;
  std::vector<std::uint8_t> bytes;
  reader.feed(head, bytes);
  reader.finish(bytes);
  return bytes.size() >= 3 && reader.lines_with_hex() >= reader.lines_without_hex();
}

}  // namespace meterd
