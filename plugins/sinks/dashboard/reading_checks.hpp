#pragma once
// Readings the history cannot take as they came (a time far off, a register stepping back,
// the same reading again, readings out of order): each kind is reported as a diagnostic with
// what to do, at most once a minute per meter and kind, counting those in between.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "history_store.hpp"

namespace meterd::dashboard {

enum class ReadingProblem { time_ahead, time_before_2000, not_finite, backwards, duplicate, replaced, out_of_order, past_retention };

// A problem with a reading's time, if any: more than a day ahead of `now` (three days for a
// `price`: day-ahead prices reach into the day after tomorrow's start), or before 2000.
std::optional<ReadingProblem> time_problem(std::int64_t t_ms, std::int64_t now_ms, const std::string& quantity = {});
// The problem an AddResult stands for, if any.
std::optional<ReadingProblem> add_problem(AddResult result);

struct ReadingNote {
  bool warning = false;  // else informational
  std::string code, message;
};

class ReadingChecks {
 public:
  // Counts one; the diagnostic to send now, if any.
  std::optional<ReadingNote> count(ReadingProblem problem, const std::string& meter, const std::string& quantity,
                                   std::int64_t now_ms);

 private:
  struct Tally {
    std::int64_t reported_ms = 0;
    std::uint64_t pending = 0;
  };
  std::map<std::pair<std::string, ReadingProblem>, Tally> tallies_;
};

}  // namespace meterd::dashboard
