#include "exposition_parser.hpp"

#include <cmath>
#include <cstdlib>
#include <set>

namespace meterd::test {
namespace {

bool is_name_start(char c, bool colon_allowed) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_allowed && c == ':');
}
bool is_name_char(char c, bool colon_allowed) { return is_name_start(c, colon_allowed) || (c >= '0' && c <= '9'); }

// Metric names: [a-zA-Z_:][a-zA-Z0-9_:]*; label names the same without ':'.
bool valid_name(std::string_view name, bool colon_allowed) {
  if (name.empty() || !is_name_start(name.front(), colon_allowed)) return false;
  for (const char c : name) {
    if (!is_name_char(c, colon_allowed)) return false;
  }
  return true;
}

class LineReader {
 public:
  LineReader(std::string_view line, int number) : line_(line), number_(number) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw ExpositionError("line " + std::to_string(number_) + ": " + what + ": " + std::string(line_));
  }
  void skip(std::size_t n) { pos_ += n; }
  bool at_end() const { return pos_ >= line_.size(); }
  char peek() const { return at_end() ? '\0' : line_[pos_]; }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string_view name(bool colon_allowed) {
    const std::size_t start = pos_;
    while (!at_end() && is_name_char(line_[pos_], colon_allowed)) ++pos_;
    const std::string_view result = line_.substr(start, pos_ - start);
    if (!valid_name(result, colon_allowed)) fail("invalid name '" + std::string(result) + "'");
    return result;
  }
  // A double-quoted label value with only \\, \" and \n escapes.
  std::string quoted() {
    expect('"');
    std::string out;
    while (true) {
      if (at_end()) fail("unterminated label value");
      const char c = line_[pos_++];
      if (c == '"') return out;
      if (c == '\n') fail("raw newline in label value");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_end()) fail("dangling backslash");
      const char escaped = line_[pos_++];
      if (escaped == '\\') out += '\\';
      else if (escaped == '"') out += '"';
      else if (escaped == 'n') out += '\n';
      else fail(std::string("invalid escape \\") + escaped);
    }
  }
  std::string_view rest() {
    const std::string_view result = line_.substr(pos_);
    pos_ = line_.size();
    return result;
  }
  std::string_view word() {
    const std::size_t start = pos_;
    while (!at_end() && line_[pos_] != ' ') ++pos_;
    return line_.substr(start, pos_ - start);
  }

 private:
  std::string_view line_;
  int number_;
  std::size_t pos_ = 0;
};

double parse_float(std::string_view text, const LineReader& reader) {
  if (text == "NaN") return std::nan("");
  if (text == "+Inf") return INFINITY;
  if (text == "-Inf") return -INFINITY;
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || std::isinf(value) || std::isnan(value)) {
    reader.fail("value '" + copy + "' is not a float");
  }
  return value;
}

std::string help_unescape(std::string_view text, const LineReader& reader) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (i + 1 == text.size()) reader.fail("dangling backslash in HELP");
    const char escaped = text[++i];
    if (escaped == '\\') out += '\\';
    else if (escaped == 'n') out += '\n';
    else reader.fail("invalid escape in HELP");
  }
  return out;
}

bool contains_all(const Sample& sample, const std::map<std::string, std::string>& labels) {
  for (const auto& [name, value] : labels) {
    const auto it = sample.labels.find(name);
    if (it == sample.labels.end() || it->second != value) return false;
  }
  return true;
}

}  // namespace

const Family* Exposition::family(std::string_view name) const {
  for (const Family& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<Sample> Exposition::samples(std::string_view name, const std::map<std::string, std::string>& labels) const {
  std::vector<Sample> result;
  for (const Family& f : families) {
    for (const Sample& s : f.samples) {
      if (s.name == name && contains_all(s, labels)) result.push_back(s);
    }
  }
  return result;
}

std::optional<double> Exposition::value(std::string_view name, const std::map<std::string, std::string>& labels) const {
  const auto found = samples(name, labels);
  if (found.size() > 1) throw std::runtime_error("ambiguous sample query for " + std::string(name));
  if (found.empty()) return std::nullopt;
  return found.front().value;
}

Exposition parse_exposition(std::string_view text) {
  Exposition result;
  if (!text.empty() && !text.ends_with('\n')) throw ExpositionError("the page does not end with a newline");
  std::set<std::string> closed_families;      // families whose block has ended
  std::set<std::string> series;               // name + sorted labels, for duplicate detection
  Family* current = nullptr;
  std::string pending_help_name, pending_help;  // HELP seen, TYPE not yet
  int number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    LineReader reader(line, number);
    if (line.empty()) reader.fail("empty line");
    if (line.starts_with("# HELP ")) {
      reader.skip(std::string_view("# HELP ").size());
      const std::string name(reader.name(true));
      reader.expect(' ');
      if (closed_families.count(name) || (current && current->name == name)) reader.fail("family declared twice");
      if (!pending_help_name.empty()) reader.fail("HELP without TYPE before it");
      pending_help_name = name;
      pending_help = help_unescape(reader.rest(), reader);
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      reader.skip(std::string_view("# TYPE ").size());
      const std::string name(reader.name(true));
      reader.expect(' ');
      const std::string type(reader.rest());
      if (pending_help_name != name) reader.fail("TYPE without a HELP line for the same family just before it");
      if (type != "gauge" && type != "counter" && type != "untyped" && type != "summary" && type != "histogram") {
        reader.fail("unknown type");
      }
      if (type == "counter" && !name.ends_with("_total")) reader.fail("counter name does not end in _total");
      if (current) closed_families.insert(current->name);
      result.families.push_back({name, type, pending_help, {}});
      current = &result.families.back();
      pending_help_name.clear();
      continue;
    }
    if (line.starts_with('#')) reader.fail("comment lines other than HELP and TYPE are not expected");
    Sample sample;
    sample.name = reader.name(true);
    if (!current || current->name != sample.name) reader.fail("sample outside the block of its family's HELP and TYPE");
    if (reader.peek() == '{') {
      reader.expect('{');
      while (reader.peek() != '}') {
        const std::string label(reader.name(false));
        reader.expect('=');
        if (!sample.labels.emplace(label, reader.quoted()).second) reader.fail("label repeated");
        if (reader.peek() == ',') reader.expect(',');
        else if (reader.peek() != '}') reader.fail("expected ',' or '}'");
      }
      reader.expect('}');
    }
    reader.expect(' ');
    sample.value = parse_float(reader.word(), reader);
    if (!reader.at_end()) {  // optional timestamp in ms
      reader.expect(' ');
      const std::string_view timestamp = reader.rest();
      if (timestamp.empty() || timestamp.find_first_not_of("-0123456789") != std::string_view::npos) {
        reader.fail("bad timestamp");
      }
    }
    std::string key = sample.name;
    for (const auto& [name, value] : sample.labels) key += '\0' + name + '\0' + value;
    if (!series.insert(key).second) reader.fail("duplicate series");
    current->samples.push_back(std::move(sample));
  }
  if (!pending_help_name.empty()) throw ExpositionError("HELP for " + pending_help_name + " without TYPE at the end");
  return result;
}

}  // namespace meterd::test
