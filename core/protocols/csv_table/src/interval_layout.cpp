#include "meterd/csv_table/interval_layout.hpp"

namespace meterd::csv_table {
namespace {

std::string clock_text(std::int64_t seconds_of_day) {
  char buf[8];
  const int h = static_cast<int>(seconds_of_day / 3600), m = static_cast<int>(seconds_of_day / 60 % 60);
  buf[0] = static_cast<char>('0' + h / 10);
  buf[1] = static_cast<char>('0' + h % 10);
  buf[2] = ':';
  buf[3] = static_cast<char>('0' + m / 10);
  buf[4] = static_cast<char>('0' + m % 10);
  return std::string(buf, 5);
}

std::int64_t time_of_day(std::int64_t wall) {
  const std::int64_t t = wall % 86400;
  return t < 0 ? t + 86400 : t;
}

}  // namespace

std::optional<IntervalLayout> detect_interval_layout(std::span<const std::int64_t> wall_clocks,
                                                     IntervalSpec configured, TimestampMarks configured_marks,
                                                     std::string& why_not) {
  IntervalLayout layout;
  layout.interval = configured;
  if (configured.kind == IntervalSpec::Kind::detect) {
    // The smallest forward step: repeated autumn rows step backwards and gaps step further,
    // neither is the interval.
    std::int64_t step = 0;
    for (std::size_t i = 1; i < wall_clocks.size(); ++i) {
      const std::int64_t d = wall_clocks[i] - wall_clocks[i - 1];
      if (d > 0 && (step == 0 || d < step)) step = d;
    }
    if (step == 0) {
      why_not = "cannot tell the interval length: fewer than two rows with different times (set 'interval')";
      return std::nullopt;
    }
    // A daily export steps 24 h; across a DST change the wall clock still steps a whole day.
    if (step >= 86400) {
      if (step % 86400 != 0) {
        why_not = "rows are " + std::to_string(step) + " s apart, not a whole number of days (set 'interval')";
        return std::nullopt;
      }
      layout.interval = {IntervalSpec::Kind::day, 0};
      layout.explanation = "daily rows";
    } else {
      layout.interval = {IntervalSpec::Kind::fixed, step};
      layout.explanation = std::to_string(step / 60) + "-minute rows";
    }
  }
  layout.marks = configured_marks;
  if (configured_marks == TimestampMarks::detect) {
    layout.marks = TimestampMarks::start;
    if (layout.interval.kind == IntervalSpec::Kind::fixed && !wall_clocks.empty()) {
      const std::int64_t first = time_of_day(wall_clocks.front());
      if (first == layout.interval.seconds) {
        layout.marks = TimestampMarks::end;
        layout.explanation += ", timestamps mark interval ends (the first row is at " + clock_text(first) + ")";
      } else if (first == 0) {
        layout.explanation += ", timestamps mark interval starts (the first row is at 00:00)";
      } else {
        layout.explanation += ", timestamps taken as interval starts (the first row is at " + clock_text(first) +
                              "; set timestamp_is = end if they are ends)";
      }
    } else if (layout.interval.kind == IntervalSpec::Kind::day) {
      layout.explanation += ", each row is the day it is dated";
    }
  }
  return layout;
}

}  // namespace meterd::csv_table
