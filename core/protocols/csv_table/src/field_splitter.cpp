#include "meterd/csv_table/field_splitter.hpp"

namespace meterd::csv_table {

bool FieldSplitter::split(std::string_view line) {
  fields_.clear();
  // Reserved up front so views into it never dangle: unescaping only ever shrinks a field.
  unescaped_.clear();
  if (unescaped_.capacity() < line.size()) unescaped_.reserve(line.size());
  std::size_t pos = 0;
  while (true) {
    if (pos < line.size() && line[pos] == '"') {
      const std::size_t open = pos;
      ++pos;
      std::size_t begin = pos;
      bool needs_unescape = false;
      while (true) {
        const std::size_t q = line.find('"', pos);
        if (q == std::string_view::npos) {
          error_ = "quote opened at column " + std::to_string(open + 1) + " is not closed";
          return false;
        }
        if (q + 1 < line.size() && line[q + 1] == '"') {  // "" stands for one quote
          needs_unescape = true;
          pos = q + 2;
          continue;
        }
        pos = q + 1;
        break;
      }
      std::string_view raw = line.substr(begin, pos - 1 - begin);
      if (needs_unescape) {
        const std::size_t at = unescaped_.size();
        for (std::size_t i = 0; i < raw.size(); ++i) {
          unescaped_.push_back(raw[i]);
          if (raw[i] == '"') ++i;
        }
        fields_.emplace_back(unescaped_.data() + at, unescaped_.size() - at);
      } else {
        fields_.push_back(raw);
      }
      // Tolerate spaces between the closing quote and the separator; anything else is junk
      // that the caller will see as part of no field, so report it.
      while (pos < line.size() && line[pos] == ' ') ++pos;
      if (pos == line.size()) return true;
      if (line[pos] != separator_) {
        error_ = "unexpected text after the quoted field at column " + std::to_string(open + 1);
        return false;
      }
      ++pos;
      if (pos == line.size()) {  // trailing separator: one more, empty field
        fields_.emplace_back();
        return true;
      }
      continue;
    }
    const std::size_t sep = line.find(separator_, pos);
    if (sep == std::string_view::npos) {
      fields_.push_back(line.substr(pos));
      return true;
    }
    fields_.push_back(line.substr(pos, sep - pos));
    pos = sep + 1;
    if (pos == line.size()) {
      fields_.emplace_back();
      return true;
    }
  }
}

std::string_view trim_field(std::string_view field) {
  while (!field.empty() && (field.front() == ' ' || field.front() == '\t')) field.remove_prefix(1);
  while (!field.empty() && (field.back() == ' ' || field.back() == '\t')) field.remove_suffix(1);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
  return field;
}

}  // namespace meterd::csv_table
