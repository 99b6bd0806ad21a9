#include "meterd/csv_table/table_reader.hpp"

#include <string>

namespace meterd::csv_table {

TableReader::TableReader(TableMapping mapping, std::shared_ptr<const TimeZone> zone)
    : decoder_(std::move(mapping), std::move(zone)) {}

void TableReader::restore(const ReaderPosition& position) {
  lines_.reset(position.offset, position.lines);
  first_data_line_ = position.first_data_line;
}

ReaderPosition TableReader::position() const {
  return ReaderPosition{lines_.consumed_offset(), lines_.lines(), first_data_line_};
}

void TableReader::feed(std::string_view bytes, Handler& handler) {
  lines_.feed(bytes, [&](std::string_view line, const LinePosition& at) { handle(line, at, handler); });
}

void TableReader::finish(Handler& handler) {
  if (lines_.pending().empty()) return;
  // Completing the line with a newline keeps one code path for every line.
  feed("\n", handler);
}

void TableReader::handle(std::string_view line, const LinePosition& at, Handler& handler) {
  if (at.number == 1) {
    // Excel's "sep=;" hint is not data and not one of the configured header rows.
    const bool hint = line.starts_with("sep=") && line.size() <= 6;
    first_data_line_ = 1 + (hint ? 1 : 0) + decoder_.mapping().header_rows;
  }
  if (first_data_line_ == 0) first_data_line_ = 1 + decoder_.mapping().header_rows;
  if (at.number < first_data_line_) return;
  if (!decoder_.decode(line, at.number, row_, problem_)) {
    if (std::string_view(problem_.code) != "blank") handler.bad_line(at.number, problem_, line);
    return;
  }
  handler.row(row_);
}

}  // namespace meterd::csv_table
