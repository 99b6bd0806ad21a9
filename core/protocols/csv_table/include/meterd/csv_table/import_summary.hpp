#pragma once
// What an import did, for the final report: rows taken, rows skipped by reason (with the
// first line of each kind), gaps between intervals, overlaps, and the time span covered.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "meterd/csv_table/row_decoder.hpp"

namespace meterd::csv_table {

class ImportSummary {
 public:
  void add_row(const TableRow& row, std::string_view meter_id);
  void add_skipped(std::uint64_t line, const RowProblem& problem);
  void merge(const ImportSummary& other);

  struct Skip {
    std::uint64_t count = 0;
    std::uint64_t first_line = 0;
    std::string first_detail;
  };

  std::uint64_t rows() const { return rows_; }
  std::uint64_t skipped() const;
  const std::map<std::string, Skip>& skips() const { return skips_; }
  std::uint64_t gaps() const { return gaps_; }
  std::int64_t missing_ms() const { return missing_ms_; }
  std::uint64_t overlaps() const { return overlaps_; }
  std::int64_t first_ms() const { return first_ms_; }
  std::int64_t last_ms() const { return last_ms_; }  // end of the last interval, or last instant

  // Several lines for a person, e.g. "92539 rows imported, 0 skipped, 0 gaps, span ...".
  std::string text() const;

 private:
  struct Track {
    std::int64_t expected_ms = 0;  // where the next interval should start; last instant otherwise
    std::int64_t min_step_ms = 0;  // smallest forward step between instantaneous rows
    bool started = false;
  };
  std::map<std::string, Track, std::less<>> tracks_;  // per meter
  std::map<std::string, Skip> skips_;
  std::uint64_t rows_ = 0, gaps_ = 0, overlaps_ = 0;
  std::int64_t missing_ms_ = 0;
  std::int64_t first_ms_ = 0, last_ms_ = 0;
  bool any_ = false;
};

}  // namespace meterd::csv_table
