#pragma once
// Works out what the rows of an interval file stand for when the export does not say:
// the interval length (from the spacing of the first rows) and whether a timestamp marks
// the start or the end of its interval (from where the first day begins: an export starting
// at 00:00 labels starts, one starting at 00:15 labels ends).
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "meterd/csv_table/column_mapping.hpp"

namespace meterd::csv_table {

struct IntervalLayout {
  IntervalSpec interval;
  TimestampMarks marks = TimestampMarks::start;
  std::string explanation;  // how it was decided, for the import log
};

// `wall_clocks` are the first rows' timestamps as written (civil_to_seconds), in file order.
// Configured values other than `detect` are kept. Empty optional and `why_not` filled when
// the rows do not tell.
std::optional<IntervalLayout> detect_interval_layout(std::span<const std::int64_t> wall_clocks,
                                                     IntervalSpec configured, TimestampMarks configured_marks,
                                                     std::string& why_not);

}  // namespace meterd::csv_table
