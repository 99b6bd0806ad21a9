#pragma once
// What an import did, for the final report: rows taken, rows skipped by reason (with the
// first line of each kind), gaps between intervals, overlaps, and the time span covered.
#include <cstdint>
#include <map>
#include <queue>
#include <utility>
#include <vector>
#include <string>
#include <string_view>

#include "meterd/csv_table/row_decoder.hpp"

namespace meterd::csv_table {

class ImportSummary {
 public:
  // False when the row repeats the time of the meter's previous row (exports that list a day
  // twice): such a row is counted as skipped "duplicate_time" and should not be emitted.
  bool add_row(const TableRow& row, std::string_view meter_id);
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
  // Checks the rows still held back for reordering; call once all rows were added.
  void finish();

 private:
  using Span = std::pair<std::int64_t, std::int64_t>;  // start, end (end 0: an instant)
  // Rows are checked for gaps in time order through a small reordering window: files that
  // list the repeated autumn hour quarter by quarter (summer, winter, summer, ...) are in
  // order on the wall clock but not in UTC, and must not show gaps and overlaps.
  static constexpr std::size_t kReorderWindow = 16;
  struct Track {
    std::priority_queue<Span, std::vector<Span>, std::greater<>> pending;
    std::int64_t expected_ms = 0;  // where the next interval should start; last instant otherwise
    std::int64_t min_step_ms = 0;  // smallest forward step between instantaneous rows
    std::int64_t last_time_ms = 0;
    std::uint64_t last_line = 0;
    bool started = false;  // any row added
    bool checked = false;  // any row checked for continuity
  };
  void check_continuity(Track& t, const Span& span);
  std::map<std::string, Track, std::less<>> tracks_;  // per meter
  std::map<std::string, Skip> skips_;
  std::uint64_t rows_ = 0, gaps_ = 0, overlaps_ = 0;
  std::int64_t missing_ms_ = 0;
  std::int64_t first_ms_ = 0, last_ms_ = 0;
  bool any_ = false;
};

}  // namespace meterd::csv_table
