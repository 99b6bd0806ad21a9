#include "meterd/csv_table/row_decoder.hpp"

#include <algorithm>

#include "meterd/csv_table/number_parser.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::csv_table {
namespace {

TimestampFormat compile_or_throw(const std::string& pattern) {
  std::string error;
  auto f = TimestampFormat::compile(pattern, error);
  if (!f) throw MappingError("option 'timestamp_format': " + error);
  return std::move(*f);
}

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

}  // namespace

RowDecoder::RowDecoder(TableMapping mapping, std::shared_ptr<const TimeZone> zone)
    : mapping_(std::move(mapping)),
      format_(compile_or_throw(mapping_.timestamp_format)),
      resolver_(std::move(zone)),
      splitter_(mapping_.separator) {
  if (mapping_.interval.kind == IntervalSpec::Kind::detect || mapping_.marks == TimestampMarks::detect)
    throw MappingError("the interval layout must be detected before rows are decoded (interval/timestamp_is auto)");
  needed_fields_ = mapping_.timestamp_column + 1;
  for (const auto& c : mapping_.columns) needed_fields_ = std::max(needed_fields_, c.index + 1);
  if (mapping_.meter_id_column) needed_fields_ = std::max(needed_fields_, *mapping_.meter_id_column + 1);
}

bool RowDecoder::fail(RowProblem& problem, const char* code, std::string detail) {
  problem.code = code;
  problem.detail = std::move(detail);
  return false;
}

bool RowDecoder::decode(std::string_view line, std::uint64_t line_number, TableRow& row, RowProblem& problem) {
  if (is_blank(line)) return fail(problem, "blank", "blank line");
  if (!splitter_.split(line)) return fail(problem, "bad_quotes", splitter_.error());
  const auto fields = splitter_.fields();
  if (fields.size() < needed_fields_)
    return fail(problem, "too_few_fields",
                std::to_string(fields.size()) + " field(s), the mapping needs " + std::to_string(needed_fields_) +
                    " (separator '" + std::string(1, mapping_.separator) + "')");

  row.line = line_number;
  row.values.clear();
  row.empty_cells = 0;
  row.second_of_repeated_hour = false;
  row.interval_end_ms = 0;
  row.empty_read_as_zero = false;

  ParsedTimestamp ts;
  const char* why = "";
  const std::string_view ts_text = fields[mapping_.timestamp_column];
  if (!format_.parse(ts_text, ts, why))
    return fail(problem, "bad_timestamp",
                "timestamp '" + std::string(ts_text) + "': " + why + " (format '" + format_.pattern() + "')");
  row.wall_clock_seconds = ts.local_seconds;
  row.wall_clock = !ts.has_offset;

  std::int64_t utc = 0;
  const bool daily = mapping_.interval.kind == IntervalSpec::Kind::day;
  if (ts.has_offset) {
    utc = ts.local_seconds - ts.offset_seconds;
  } else if (!daily) {
    switch (resolver_.resolve(ts.local_seconds, utc)) {
      case LocalTimeResolver::Result::nonexistent:
        return fail(problem, "nonexistent_local_time",
                    "local time '" + std::string(ts_text) + "' does not exist in " + resolver_.zone().name() +
                        " (clocks were put forward)");
      case LocalTimeResolver::Result::repeated_again:
        return fail(problem, "repeated_time",
                    "local time '" + std::string(ts_text) + "' appears a third time; the repeated hour has only two");
      case LocalTimeResolver::Result::repeated_second:
        row.second_of_repeated_hour = true;
        break;
      default:
        break;
    }
  }

  switch (mapping_.interval.kind) {
    case IntervalSpec::Kind::none:
      row.time_ms = utc * 1000 + ts.millisecond;
      break;
    case IntervalSpec::Kind::fixed: {
      const std::int64_t at = utc * 1000 + ts.millisecond;
      const std::int64_t length = mapping_.interval.seconds * 1000;
      row.time_ms = mapping_.marks == TimestampMarks::start ? at : at - length;
      row.interval_end_ms = row.time_ms + length;
      break;
    }
    case IntervalSpec::Kind::day: {
      // Days are wall-clock days in the zone: 23, 24 or 25 hours long.
      const std::int64_t wall = ts.has_offset ? resolver_.zone().utc_to_local(utc) : ts.local_seconds;
      const std::int64_t shifted = mapping_.marks == TimestampMarks::start ? wall : wall - 86400;
      row.time_ms = resolver_.day_start_utc(shifted) * 1000;
      row.interval_end_ms = resolver_.day_start_utc(shifted + 86400) * 1000;
      break;
    }
    case IntervalSpec::Kind::detect:
      break;
  }

  for (const ValueColumn& column : mapping_.columns) {
    const std::string_view cell = fields[column.index];
    if (trim_field(cell).empty()) {
      ++row.empty_cells;
      continue;
    }
    const auto number = parse_number(cell, mapping_.decimal_comma);
    if (!number)
      return fail(problem, "bad_number",
                  "column " + std::to_string(column.index + 1) + ": '" + std::string(cell) + "' is not a number" +
                      (mapping_.decimal_comma ? " (decimal comma expected)" : ""));
    row.values.push_back(RowValue{&column, *number * column.scale});
  }
  if (row.values.empty()) {
    if (!mapping_.empty_row_is_zero) return fail(problem, "empty_row", "every mapped value cell is empty");
    row.values.push_back(RowValue{&mapping_.columns.front(), 0.0});
    row.empty_read_as_zero = true;
  }
  row.meter_id = mapping_.meter_id_column ? trim_field(fields[*mapping_.meter_id_column]) : std::string_view{};
  return true;
}

}  // namespace meterd::csv_table
