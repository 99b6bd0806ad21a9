#pragma once
// Applies a TableMapping to one line: splits it, reads the timestamp in the mapping's zone
// (repeated autumn hour by file order), computes the interval and scales the values. One
// decoder per file, fed in file order. Decoding a good line allocates nothing once warm.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "meterd/csv_table/column_mapping.hpp"
#include "meterd/csv_table/field_splitter.hpp"
#include "meterd/csv_table/local_time_resolver.hpp"
#include "meterd/csv_table/timestamp_format.hpp"

namespace meterd {
class TimeZone;
}

namespace meterd::csv_table {

struct RowValue {
  const ValueColumn* column = nullptr;  // points into the decoder's mapping
  double number = 0;
};

struct TableRow {
  std::uint64_t line = 0;
  std::int64_t wall_clock_seconds = 0;  // the timestamp as written, as if UTC
  bool wall_clock = true;               // false when the cell stated its own offset or was Unix time
  std::int64_t time_ms = 0;             // the instant, or the interval start; UTC
  std::int64_t interval_end_ms = 0;     // 0 for instantaneous values
  bool second_of_repeated_hour = false;
  std::string_view meter_id;  // from the meter id column; valid until the next decode
  std::vector<RowValue> values;
  std::size_t empty_cells = 0;  // mapped cells left empty (e.g. the other tariff's column)
  bool empty_read_as_zero = false;  // every cell empty, reported as 0 (empty_row_is_zero)
};

// Why a line was refused; `code` groups them in summaries, `detail` is for a person.
struct RowProblem {
  const char* code = "";
  std::string detail;
};

class RowDecoder {
 public:
  // Throws MappingError when the mapping cannot be applied (bad format, interval "auto").
  RowDecoder(TableMapping mapping, std::shared_ptr<const TimeZone> zone);

  // False with `problem` filled when the line cannot be used. Blank lines return false with
  // code "blank".
  bool decode(std::string_view line, std::uint64_t line_number, TableRow& row, RowProblem& problem);

  const TableMapping& mapping() const { return mapping_; }

 private:
  bool fail(RowProblem& problem, const char* code, std::string detail);
  TableMapping mapping_;
  TimestampFormat format_;
  LocalTimeResolver resolver_;
  FieldSplitter splitter_;
  std::size_t needed_fields_ = 0;
};

}  // namespace meterd::csv_table
