#include "meterd/csv_table/import_summary.hpp"

#include <algorithm>

#include "meterd/time_zone.hpp"

namespace meterd::csv_table {

bool ImportSummary::add_row(const TableRow& row, std::string_view meter_id) {
  auto it = tracks_.find(meter_id);
  if (it == tracks_.end()) it = tracks_.emplace(std::string(meter_id), Track{}).first;
  Track& t = it->second;
  if (t.started && row.time_ms == t.last_time_ms) {
    add_skipped(row.line, RowProblem{"duplicate_time", "same time as line " + std::to_string(t.last_line)});
    return false;
  }
  t.last_time_ms = row.time_ms;
  t.last_line = row.line;
  ++rows_;
  const std::int64_t end = row.interval_end_ms ? row.interval_end_ms : row.time_ms;
  if (!any_) {
    first_ms_ = row.time_ms;
    last_ms_ = end;
    any_ = true;
  }
  first_ms_ = std::min(first_ms_, row.time_ms);
  last_ms_ = std::max(last_ms_, end);

  t.pending.push(Span{row.time_ms, row.interval_end_ms});
  if (t.pending.size() > kReorderWindow) {
    check_continuity(t, t.pending.top());
    t.pending.pop();
  }
  t.started = true;
  return true;
}

void ImportSummary::finish() {
  for (auto& [meter, t] : tracks_) {
    while (!t.pending.empty()) {
      check_continuity(t, t.pending.top());
      t.pending.pop();
    }
  }
}

void ImportSummary::check_continuity(Track& t, const Span& span) {
  const auto [start, end] = span;
  if (end) {
    // Interval data: each interval should start where the previous one ended.
    if (t.checked && start > t.expected_ms) {
      ++gaps_;
      missing_ms_ += start - t.expected_ms;
    } else if (t.checked && start < t.expected_ms) {
      ++overlaps_;
    }
    t.expected_ms = t.checked ? std::max(t.expected_ms, end) : end;
  } else {
    // Instantaneous samples: a step of more than twice the usual spacing is a gap.
    if (t.checked) {
      const std::int64_t step = start - t.expected_ms;
      if (step <= 0) {
        ++overlaps_;
      } else {
        if (t.min_step_ms > 0 && step > 2 * t.min_step_ms) {
          ++gaps_;
          missing_ms_ += step - t.min_step_ms;
        }
        if (t.min_step_ms == 0 || step < t.min_step_ms) t.min_step_ms = step;
      }
    }
    t.expected_ms = t.checked ? std::max(t.expected_ms, start) : start;
  }
  t.checked = true;
}

void ImportSummary::add_skipped(std::uint64_t line, const RowProblem& problem) {
  Skip& s = skips_[problem.code];
  if (s.count++ == 0) {
    s.first_line = line;
    s.first_detail = problem.detail;
  }
}

void ImportSummary::merge(const ImportSummary& other) {
  if (other.any_) {
    first_ms_ = any_ ? std::min(first_ms_, other.first_ms_) : other.first_ms_;
    last_ms_ = any_ ? std::max(last_ms_, other.last_ms_) : other.last_ms_;
    any_ = true;
  }
  rows_ += other.rows_;
  gaps_ += other.gaps_;
  overlaps_ += other.overlaps_;
  missing_ms_ += other.missing_ms_;
  for (const auto& [code, s] : other.skips_) {
    Skip& mine = skips_[code];
    if (mine.count == 0) {
      mine.first_line = s.first_line;
      mine.first_detail = s.first_detail;
    }
    mine.count += s.count;
  }
}

std::uint64_t ImportSummary::skipped() const {
  std::uint64_t n = 0;
  for (const auto& [code, s] : skips_) n += s.count;
  return n;
}

std::string ImportSummary::text() const {
  std::string t = std::to_string(rows_) + " rows imported, " + std::to_string(skipped()) + " skipped";
  for (const auto& [code, s] : skips_)
    t += "\n  " + std::to_string(s.count) + " × " + code + " (first at line " + std::to_string(s.first_line) +
         ": " + s.first_detail + ")";
  t.append("\n").append(std::to_string(gaps_)).append(" gap(s)");
  if (gaps_) t += " totalling " + std::to_string(missing_ms_ / 60000) + " min";
  if (overlaps_) t += ", " + std::to_string(overlaps_) + " row(s) overlapping or out of order";
  if (any_)
    t += "\nspan " + format_iso8601(first_ms_ / 1000, 0, true) + " to " + format_iso8601(last_ms_ / 1000, 0, true);
  return t;
}

}  // namespace meterd::csv_table
