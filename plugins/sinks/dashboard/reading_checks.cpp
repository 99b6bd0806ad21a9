#include "reading_checks.hpp"

namespace meterd::dashboard {

namespace {
constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kYear2000Ms = 946'684'800'000;
constexpr std::int64_t kReportEveryMs = 60'000;

ReadingNote describe(ReadingProblem p, std::uint64_t n, const std::string& meter, const std::string& quantity) {
  const std::string some = std::to_string(n) + (n == 1 ? " reading" : " readings") + " of meter " + meter;
  switch (p) {
    case ReadingProblem::time_ahead:
      return {true, "reading_time_ahead", some + " dated more than a day ahead of this computer's clock were not stored; "
                                               "check the meter's clock and this computer's (NTP)"};
    case ReadingProblem::time_before_2000:
      return {true, "reading_time_past", some + " dated before 2000 were not stored; the meter's clock is not set"};
    case ReadingProblem::not_finite:
      return {true, "reading_not_finite", some + " (" + quantity + ") were not numbers and were not stored"};
    case ReadingProblem::backwards:
      return {true, "register_backwards",
              some + ": " + quantity + " was lower than the reading before it, without a reset, rollover or meter change; "
                     "not stored, so no energy counts twice. Check that no two meters report under one id"};
    case ReadingProblem::duplicate:
      return {false, "reading_duplicate", some + " repeated a stored reading (same time, same value) and were ignored"};
    case ReadingProblem::replaced:
      return {true, "reading_replaced", some + ": " + quantity + " came again for an instant already stored, with another "
                                                                "value; the newer value is kept"};
    case ReadingProblem::out_of_order:
      return {false, "reading_out_of_order", some + " were older than the newest of their series (a backfill or replay) and "
                                                   "were merged in time order; totals include them"};
    case ReadingProblem::past_retention:
      break;  // a whole replay is summed up in one older_than_retention warning by the sink
  }
  return {};
}
}  // namespace

std::optional<ReadingProblem> time_problem(std::int64_t t_ms, std::int64_t now_ms, const std::string& quantity) {
  if (t_ms > now_ms + (quantity == "price" ? 3 * kDayMs : kDayMs)) return ReadingProblem::time_ahead;
  if (t_ms < kYear2000Ms) return ReadingProblem::time_before_2000;
  return std::nullopt;
}

std::optional<ReadingProblem> add_problem(AddResult result) {
  switch (result) {
    case AddResult::stored: return std::nullopt;
    case AddResult::out_of_order: return ReadingProblem::out_of_order;
    case AddResult::duplicate: return ReadingProblem::duplicate;
    case AddResult::replaced: return ReadingProblem::replaced;
    case AddResult::backwards: return ReadingProblem::backwards;
    case AddResult::refused: return ReadingProblem::past_retention;
  }
  return std::nullopt;
}

std::optional<ReadingNote> ReadingChecks::count(ReadingProblem problem, const std::string& meter,
                                                const std::string& quantity, std::int64_t now_ms) {
  auto& t = tallies_[{meter, problem}];
  ++t.pending;
  if (t.reported_ms != 0 && now_ms - t.reported_ms < kReportEveryMs) return std::nullopt;
  auto note = describe(problem, t.pending, meter, quantity);
  t.reported_ms = now_ms;
  t.pending = 0;
  return note;
}

}  // namespace meterd::dashboard
