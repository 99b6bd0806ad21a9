#pragma once
// Splits one CSV line into fields. Quoted fields may contain the separator and doubled quotes
// (RFC 4180); quotes are removed. Fields are views into the line, or into an internal buffer
// for the rare field that needs unescaping, so splitting a line allocates nothing once the
// buffers have grown to the widest line.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace meterd::csv_table {

class FieldSplitter {
 public:
  explicit FieldSplitter(char separator) : separator_(separator) {}

  // False when a quoted field is not closed on this line (`error()` says where). The
  // returned fields stay valid until the next call.
  bool split(std::string_view line);
  std::span<const std::string_view> fields() const { return fields_; }
  const std::string& error() const { return error_; }
  char separator() const { return separator_; }

 private:
  char separator_;
  std::vector<std::string_view> fields_;
  std::string unescaped_;
  std::string error_;
};

// The field with surrounding spaces and one pair of surrounding quotes removed; for header
// matching, where a full split is not needed.
std::string_view trim_field(std::string_view field);

}  // namespace meterd::csv_table
