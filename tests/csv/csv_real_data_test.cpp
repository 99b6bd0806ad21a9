// The two real data sets in ../shared/data, read through the shipped example mappings.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "table_import_helpers.hpp"

namespace meterd::csv_table {
namespace {

const std::filesystem::path kData = std::filesystem::path(METERD_SHARED_DIR) / "data";
const std::filesystem::path kExamples =
    std::filesystem::path(METERD_SOURCE_DIR) / "plugins/sources/ekz_history/examples";

TEST(CsvRealData, HeatPumpFifteenMinutesAcrossDst) {
  const auto file = kData / "ch-heatpump-15min-2021-2023.csv";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " is absent; the real-data test needs it";
  const auto options = testing::read_mapping_block(kExamples / "heatpump-15min.conf");
  const auto f = testing::import_text(testing::read_file(file), "auto", options, TimeZone::utc());
  EXPECT_EQ(f.plan.format, "generic");
  // 92,540 data rows (the last without a newline); 2021-07-01 and 2022-07-01 are each listed
  // twice, row by row, and every second copy is skipped as a duplicate.
  EXPECT_TRUE(f.problems.empty()) << f.problems.front();
  EXPECT_EQ(f.rows.size(), 92'540u - 192u);
  ASSERT_EQ(f.summary.skips().size(), 1u);
  EXPECT_EQ(f.summary.skips().at("duplicate_time").count, 192u);

  const auto zone = TimeZone::load("Europe/Zurich");
  std::map<std::int64_t, int> per_day;
  std::set<std::int64_t> starts;
  for (const auto& r : f.rows) {
    ++per_day[zone->start_of_local_day(r.time_ms / 1000)];
    starts.insert(r.time_ms);
  }
  auto day = [&](int y, int m, int d) { return per_day[zone->start_of_local_day(civil_to_seconds({y, m, d, 12, 0, 0}))]; };
  EXPECT_EQ(day(2021, 3, 27), 96);
  EXPECT_EQ(day(2021, 3, 28), 92);
  EXPECT_EQ(day(2021, 10, 31), 100);
  EXPECT_EQ(day(2021, 11, 1), 96);
  EXPECT_EQ(day(2022, 3, 27), 92);
  EXPECT_EQ(day(2022, 10, 30), 100);
  EXPECT_EQ(day(2021, 7, 1), 96);
  EXPECT_EQ(starts.size(), f.rows.size()) << "some intervals were merged";
  // The repeated hour, listed quarter by quarter twice, becomes consecutive UTC intervals.
  EXPECT_TRUE(starts.count(testing::utc_ms(2021, 10, 31, 0, 0)));
  EXPECT_TRUE(starts.count(testing::utc_ms(2021, 10, 31, 1, 0)));
  EXPECT_EQ(f.rows.front().time_ms, testing::utc_ms(2020, 12, 31, 23, 0));
  // The autumn hour is listed quarter by quarter (02:00 summer, 02:00 winter, 02:15 summer,
  // ...): out of order in UTC, yet neither a gap nor an overlap once sorted.
  EXPECT_EQ(f.summary.overlaps(), 0u);
  EXPECT_EQ(f.summary.gaps(), 0u);
  EXPECT_EQ(testing::option_value(kExamples / "heatpump-15min.conf", "plugin"), "ekz_history");
}

TEST(CsvRealData, HouseholdPerMinutePowerVoltageCurrent) {
  const auto file = kData / "household-1min-2007-02-01_02.txt";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " is absent; the real-data test needs it";
  const auto options = testing::read_mapping_block(kExamples / "household-1min.conf");
  const auto f = testing::import_text(testing::read_file(file), "auto", options, TimeZone::utc());
  EXPECT_EQ(f.rows.size(), 2880u);
  EXPECT_TRUE(f.problems.empty()) << f.problems.front();
  EXPECT_EQ(f.summary.gaps(), 0u);
  ASSERT_EQ(f.rows.front().values.size(), 4u);
  EXPECT_EQ(f.rows.front().time_ms, testing::utc_ms(2007, 1, 31, 23, 0));  // Paris winter time
  EXPECT_DOUBLE_EQ(f.rows.front().values[0].number, 326);                  // 0.326 kW
  EXPECT_EQ(f.rows.front().values[0].unit, "W");
  for (const auto& r : f.rows) {
    EXPECT_GT(r.values[2].number, 225);
    EXPECT_LT(r.values[2].number, 255);
  }
}

}  // namespace
}  // namespace meterd::csv_table
