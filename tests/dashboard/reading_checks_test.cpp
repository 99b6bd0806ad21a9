#include "reading_checks.hpp"

#include <gtest/gtest.h>

using namespace meterd::dashboard;

TEST(ReadingChecks, TimesFarOffAreProblems) {
  const std::int64_t now = 1'780'000'000'000;  // 2026
  EXPECT_FALSE(time_problem(now, now));
  EXPECT_FALSE(time_problem(now + 3'600'000, now));  // a meter clock a little ahead
  EXPECT_EQ(time_problem(now + 2 * 86'400'000LL, now), ReadingProblem::time_ahead);
  EXPECT_EQ(time_problem(0, now), ReadingProblem::time_before_2000);
  EXPECT_FALSE(time_problem(1'000'000'000'000, now));  // 2001: an old import is fine
  // Day-ahead prices reach into the day after tomorrow; no other quantity does.
  EXPECT_FALSE(time_problem(now + 2 * 86'400'000LL, now, "price"));
  EXPECT_EQ(time_problem(now + 2 * 86'400'000LL, now, "active_energy_import"), ReadingProblem::time_ahead);
  EXPECT_EQ(time_problem(now + 4 * 86'400'000LL, now, "price"), ReadingProblem::time_ahead);
  EXPECT_FALSE(add_problem(AddResult::stored));
  EXPECT_EQ(add_problem(AddResult::backwards), ReadingProblem::backwards);
  EXPECT_EQ(add_problem(AddResult::duplicate), ReadingProblem::duplicate);
  EXPECT_EQ(add_problem(AddResult::out_of_order), ReadingProblem::out_of_order);
  EXPECT_EQ(add_problem(AddResult::refused), ReadingProblem::past_retention);
}

TEST(ReadingChecks, OneDiagnosticAMinutePerMeterAndKindCountingTheRest) {
  ReadingChecks checks;
  const std::int64_t t = 1'780'000'000'000;
  auto first = checks.count(ReadingProblem::backwards, "M1", "active_energy_import", t);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->warning);
  EXPECT_EQ(first->code, "register_backwards");
  EXPECT_NE(first->message.find("1 reading of meter M1"), std::string::npos) << first->message;
  EXPECT_NE(first->message.find("Check that"), std::string::npos) << "says what to do: " << first->message;
  for (int i = 1; i <= 4; ++i) EXPECT_FALSE(checks.count(ReadingProblem::backwards, "M1", "active_energy_import", t + i * 1000));
  // Another meter or another kind is reported at once.
  EXPECT_TRUE(checks.count(ReadingProblem::backwards, "M2", "active_energy_import", t + 5000));
  auto dup = checks.count(ReadingProblem::duplicate, "M1", "active_energy_import", t + 5000);
  ASSERT_TRUE(dup);
  EXPECT_FALSE(dup->warning);
  auto later = checks.count(ReadingProblem::backwards, "M1", "active_energy_import", t + 61'000);
  ASSERT_TRUE(later);
  EXPECT_NE(later->message.find("5 readings of meter M1"), std::string::npos) << later->message;
}
