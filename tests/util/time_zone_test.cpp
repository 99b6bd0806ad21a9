#include "meterd/time_zone.hpp"

#include <gtest/gtest.h>

using namespace meterd;

namespace {
std::int64_t utc(int y, int mo, int d, int h, int mi = 0) { return civil_to_seconds({y, mo, d, h, mi, 0}); }
}  // namespace

TEST(TimeZone, ZurichOffsetsWinterAndSummer) {
  auto z = TimeZone::load("Europe/Zurich");
  EXPECT_EQ(z->offset_at(utc(2021, 1, 15, 12)), 3600);
  EXPECT_EQ(z->offset_at(utc(2021, 7, 15, 12)), 7200);
  EXPECT_TRUE(z->is_dst_at(utc(2021, 7, 15, 12)));
  // Beyond the TZif table the POSIX footer rule must take over.
  EXPECT_EQ(z->offset_at(utc(2050, 7, 15, 12)), 7200);
  EXPECT_EQ(z->offset_at(utc(2050, 12, 15, 12)), 3600);
}

TEST(TimeZone, SpringForwardDayHas23Hours) {
  auto z = TimeZone::load("Europe/Zurich");
  const auto start = z->start_of_local_day(utc(2021, 3, 28, 12));
  const auto next = z->start_of_local_day(start + 36 * 3600);
  EXPECT_EQ(next - start, 23 * 3600);
  EXPECT_TRUE(z->local_to_utc(utc(2021, 3, 28, 2, 30)).empty()) << "02:30 does not exist that day";
}

TEST(TimeZone, FallBackDayHas25HoursAndRepeatsAnHour) {
  auto z = TimeZone::load("Europe/Zurich");
  const auto start = z->start_of_local_day(utc(2021, 10, 31, 12));
  const auto next = z->start_of_local_day(start + 36 * 3600);
  EXPECT_EQ(next - start, 25 * 3600);
  auto both = z->local_to_utc(utc(2021, 10, 31, 2, 30));
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1] - both[0], 3600);
  EXPECT_EQ(format_iso8601(both[0], z->offset_at(both[0])), "2021-10-31T02:30:00+02:00");
  EXPECT_EQ(format_iso8601(both[1], z->offset_at(both[1])), "2021-10-31T02:30:00+01:00");
}

TEST(TimeZone, UnknownZoneSaysWhatToDo) {
  try {
    TimeZone::load("Europe/Atlantis");
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("IANA"), std::string::npos);
  }
  EXPECT_THROW(TimeZone::load("../etc/passwd"), std::invalid_argument);
}

TEST(TimeZone, CivilRoundTrip) {
  for (std::int64_t s : {-86400LL * 400, 0LL, 951782400LL, 4102444800LL}) {
    EXPECT_EQ(civil_to_seconds(seconds_to_civil(s)), s);
  }
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
}
