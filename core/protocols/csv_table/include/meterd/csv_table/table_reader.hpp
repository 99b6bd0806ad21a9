#pragma once
// Reads a CSV file as a stream of byte chunks: lines, the optional "sep=" hint, header rows
// and decoded rows. Chunks may end anywhere - in the middle of a line or of a CRLF - which
// is what a followed file delivers; the position after the last whole line can be saved and
// restored so a restart continues exactly there.
#include <cstdint>
#include <memory>
#include <string_view>

#include "meterd/csv_table/line_splitter.hpp"
#include "meterd/csv_table/row_decoder.hpp"

namespace meterd::csv_table {

struct ReaderPosition {
  std::uint64_t offset = 0;           // byte after the last whole line handled
  std::uint64_t lines = 0;            // whole lines handled
  std::uint64_t first_data_line = 0;  // 0 until line 1 was seen (depends on a "sep=" line)
};

class TableReader {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual void row(const TableRow& row) = 0;
    // A line that could not be used; `line_text` is the line as read (without newline).
    virtual void bad_line(std::uint64_t line, const RowProblem& problem, std::string_view line_text) = 0;
  };

  TableReader(TableMapping mapping, std::shared_ptr<const TimeZone> zone);

  void restore(const ReaderPosition& position);
  ReaderPosition position() const;
  void feed(std::string_view bytes, Handler& handler);
  // At the end of a finished file a last line without newline still counts.
  void finish(Handler& handler);
  std::string_view pending() const { return lines_.pending(); }
  const RowDecoder& decoder() const { return decoder_; }

 private:
  void handle(std::string_view line, const LinePosition& at, Handler& handler);
  RowDecoder decoder_;
  LineSplitter lines_;
  std::uint64_t first_data_line_ = 0;
  TableRow row_;
  RowProblem problem_;
};

}  // namespace meterd::csv_table
