#include "meterd/csv_table/line_splitter.hpp"

namespace meterd::csv_table {

void LineSplitter::reset(std::uint64_t offset, std::uint64_t lines_before) {
  carry_.clear();
  consumed_offset_ = offset;
  lines_ = lines_before;
}

std::string_view LineSplitter::clean(std::string_view line) const {
  // Spreadsheet exports on Windows start with a BOM and end lines with CR LF.
  if (lines_ == 0 && consumed_offset_ == 0 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace meterd::csv_table
