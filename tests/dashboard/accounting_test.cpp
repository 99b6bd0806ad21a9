#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "energy_step.hpp"
#include "statistics.hpp"
#include "store_fixture.hpp"

using namespace meterd::dashboard;
using meterd::dashboard::testing::TempStore;
using meterd::dashboard::testing::zurich_ms;

TEST(EnergyStep, RegisterDeltasResetsRolloverAndSwaps) {
  AccountingRules r;
  const auto reg = SeriesKind::register_total;
  EXPECT_DOUBLE_EQ(*step_energy(reg, {0, 1000}, {60000, 1010}, 1, r).wh, 10);
  // kWh register: factor 1000.
  EXPECT_NEAR(*step_energy(reg, {0, 12.5}, {60000, 12.51}, 1000, r).wh, 10, 1e-9);
  // Rollover of a 5-digit register 99999.9 -> 0.1.
  EXPECT_NEAR(*step_energy(reg, {0, 99999.9}, {60000, 0.1}, 1000, r).wh, 200, 1e-6);
  // Reset to zero: what it shows now was used since.
  EXPECT_DOUBLE_EQ(*step_energy(reg, {0, 5000}, {60000, 3}, 1, r).wh, 3);
  // New meter at a lower arbitrary reading, or a jump up: unknown, never a spike.
  EXPECT_FALSE(step_energy(reg, {0, 500000}, {60000, 20000}, 1, r).wh);
  EXPECT_FALSE(step_energy(reg, {0, 1000}, {60000, 900000}, 1, r).wh);
  // Power: trapezoid, nothing across a gap.
  EXPECT_DOUBLE_EQ(*step_energy(SeriesKind::power, {0, 1000}, {3600000 / 60, 2000}, 1, r).wh, 25);
  EXPECT_FALSE(step_energy(SeriesKind::power, {0, 1000}, {3600000, 1000}, 1, r).wh);
}

TEST(EnergyStep, DropsAreRolloverResetSwapOrSteppingBack) {
  EXPECT_EQ(classify_drop(1000, 1000), RegisterDrop::none);
  EXPECT_EQ(classify_drop(99999.9, 0.1), RegisterDrop::rollover);
  EXPECT_EQ(classify_drop(5000, 3), RegisterDrop::reset);
  EXPECT_EQ(classify_drop(500000, 20000), RegisterDrop::reset);
  EXPECT_EQ(classify_drop(500000, 300000), RegisterDrop::swap);
  EXPECT_EQ(classify_drop(5000, 4990), RegisterDrop::backwards);
  // Stepping back is no energy, and no unknown either.
  EXPECT_DOUBLE_EQ(*step_energy(SeriesKind::register_total, {0, 5000}, {60000, 4990}, 1, AccountingRules{}).wh, 0);
}

TEST(Accounting, StepEndingOnABoundaryBelongsToThePeriodItCovers) {
  TempStore t("boundary", "UTC");
  auto& store = t.open();
  const std::int64_t t0 = 1'700'006'400'000;  // a UTC hour boundary
  // 60-s pushes exactly on the minute, 1 kW: each hour is exactly 1000 Wh, none of it in the next.
  for (int m = 0; m <= 180; ++m) store.add("m", "active_energy_import", "Wh", {t0 + m * 60000LL, m * 1000.0 / 60});
  store.flush();
  Statistics stats(store, Prices{});
  const auto hours = stats.energy("m", Direction::import_energy, Period::hour, t0, t0 + 3 * 3'600'000LL);
  ASSERT_EQ(hours.size(), 3u);
  // Rollups keep energy to 1 mWh per bucket.
  for (const auto& h : hours) {
    EXPECT_NEAR(*h.wh, 1000, 0.01);
    EXPECT_DOUBLE_EQ(h.coverage, 1.0);
    EXPECT_DOUBLE_EQ(h.estimated_wh, 0);
  }
  // 15-min pushes: the step across each 15-min bucket is split, a range mid-step is pro rata.
  TempStore q("quarter", "UTC");
  auto& quarter = q.open();
  for (int k = 0; k <= 12; ++k) quarter.add("m", "active_energy_import", "kWh", {t0 + 7 * 60000LL + k * 900'000LL, k * 0.25});
  quarter.flush();
  Statistics qs(quarter, Prices{});
  const auto qh = qs.energy("m", Direction::import_energy, Period::hour, t0, t0 + 3 * 3'600'000LL);
  EXPECT_NEAR(*qh[0].wh, 1000.0 * 53 / 60, 0.01);  // from 00:07 on
  EXPECT_NEAR(*qh[1].wh, 1000, 0.01);
  EXPECT_NEAR(*qh[2].wh, 1000, 0.01);
  EXPECT_NEAR(*qs.energy_range("m", Direction::import_energy, t0 + 3'600'000 + 1234, t0 + 3'600'000 + 61'234).wh, 1000.0 / 60, 0.01);
}

TEST(Accounting, GapEnergyIsSpreadAndMarkedEstimated) {
  TempStore t("gap", "UTC");
  auto& store = t.open();
  const std::int64_t t0 = 1'700'006'400'000;  // a UTC hour boundary
  // Register at 1 kW sampled each minute for 1 h, silent 2 h, then 1 h more; 3 kWh consumed in the gap.
  for (int m = 0; m <= 60; ++m) store.add("m", "active_energy_import", "Wh", {t0 + m * 60000LL, m * 1000.0 / 60});
  for (int m = 0; m < 60; ++m) store.add("m", "active_energy_import", "Wh", {t0 + 3 * 3'600'000LL + m * 60000LL, 4000 + m * 1000.0 / 60});
  store.flush();
  EXPECT_EQ(store.gap_limit_ms(store.find("m", "active_energy_import")->id), 3 * 60000);
  Statistics stats(store, Prices{});
  const auto hours = stats.energy("m", Direction::import_energy, Period::hour, t0, t0 + 4 * 3'600'000LL);
  ASSERT_EQ(hours.size(), 4u);
  EXPECT_NEAR(*hours[0].wh, 1000, 0.01);
  EXPECT_DOUBLE_EQ(hours[0].estimated_wh, 0);
  // The gap's 3 kWh, known from the registers on both sides, spread over it and marked.
  for (int h : {1, 2}) {
    EXPECT_NEAR(*hours[h].wh, 1500, 0.01);
    EXPECT_NEAR(hours[h].estimated_wh, 1500, 0.01);
    EXPECT_DOUBLE_EQ(hours[h].coverage, 0);
  }
  EXPECT_NEAR(*hours[3].wh, 983.333, 0.01);  // only its own 59 steps, nothing piled on
  EXPECT_NEAR(hours[3].coverage, 59.0 / 60, 1e-9);
  const auto day = stats.energy("m", Direction::import_energy, Period::day, t0, t0 + 1);
  EXPECT_NEAR(*day[0].wh, 1000 + 3000 + 983.333, 0.01);
  EXPECT_NEAR(day[0].estimated_wh, 3000, 0.01);
  // A range with measured ends equals the register delta.
  EXPECT_NEAR(*stats.energy_range("m", Direction::import_energy, t0 + 30 * 60000, t0 + 3 * 3'600'000LL + 30 * 60000).wh,
              4500 - 500, 0.01);
  // The chart's buckets carry the estimate too; the series reports its gap limit.
  const auto buckets = store.buckets(store.find("m", "active_energy_import")->id, Tier::hour, t0, t0 + 4 * 3'600'000LL);
  ASSERT_EQ(buckets.size(), 3u);  // 02:00 has no sample; 01:00 has the one that starts the gap
  EXPECT_EQ(buckets[1].start_ms, t0 + 3'600'000);
  EXPECT_NEAR(buckets[1].estimated_wh, 1500, 0.01);
}

TEST(Accounting, AFixedGapLimitAndAnHourlyMeter) {
  TempStore t("hourly", "UTC");
  auto& store = t.open();
  const std::int64_t t0 = 1'700'006'400'000;
  // A meter that sends its register once an hour (with a minute of jitter) is no gap.
  for (int h = 0; h <= 48; ++h) store.add("m", "active_energy_import", "Wh", {t0 + h * 3'600'000LL + (h % 3) * 20'000, h * 500.0});
  store.flush();
  const auto id = store.find("m", "active_energy_import")->id;
  EXPECT_NEAR(static_cast<double>(store.gap_limit_ms(id)), 3 * 3.6e6, 3 * 60e3);
  Statistics stats(store, Prices{});
  const auto day = stats.energy("m", Direction::import_energy, Period::day, t0 + 86'400'000LL, t0 + 86'400'000LL + 1);
  EXPECT_DOUBLE_EQ(day[0].estimated_wh, 0);
  EXPECT_NEAR(day[0].coverage, 1.0, 1e-9);
  // Configured: one limit for every meter.
  t.options.gap_limit_ms = 600'000;
  auto& fixed = t.open();
  EXPECT_EQ(fixed.gap_limit_ms(id), 600'000);
}

TEST(Accounting, ImportedIntervalsFillOnlyWhereTheRegisterIsSilent) {
  TempStore t("mixed", "UTC");
  auto& store = t.open();
  const std::int64_t t0 = 1'700'006'400'000;
  // Imported 15-min intervals of 250 Wh for 6 h; the live register starts after 3 h (at 2 kW).
  for (int k = 0; k < 24; ++k)
    store.add_interval("m", "active_energy_import", "Wh", t0 + k * 900'000LL, t0 + (k + 1) * 900'000LL, 250, "");
  for (int m = 0; m <= 180; ++m) store.add("m", "active_energy_import", "Wh", {t0 + 3 * 3'600'000LL + m * 60000LL, 9000 + m * 2000.0 / 60});
  store.flush();
  Statistics stats(store, Prices{});
  const auto hours = stats.energy("m", Direction::import_energy, Period::hour, t0, t0 + 6 * 3'600'000LL);
  for (int h = 0; h < 3; ++h) {
    EXPECT_NEAR(*hours[h].wh, 1000, 0.01) << h;
    EXPECT_EQ(hours[h].source, "intervals");
  }
  for (int h = 3; h < 6; ++h) {
    EXPECT_NEAR(*hours[h].wh, 2000, 0.01) << h;  // the register's, not 2000 + 1000
    EXPECT_EQ(hours[h].source, "register");
  }
  const auto day = stats.energy("m", Direction::import_energy, Period::day, t0, t0 + 1);
  EXPECT_NEAR(*day[0].wh, 3000 + 6000, 0.01);
}

TEST(Accounting, BadReadingsNeverCorruptATotal) {
  TempStore t("bad", "UTC");
  auto& store = t.open();
  const std::int64_t t0 = 1'700'006'400'000;
  for (int m = 0; m <= 60; ++m) {
    EXPECT_EQ(store.add("m", "active_energy_import", "Wh", {t0 + m * 60000LL, 1000 + m * 10.0}), AddResult::stored);
    if (m == 20) {
      // A register stepping back (a glitch) is refused; the same reading again changes nothing.
      EXPECT_EQ(store.add("m", "active_energy_import", "Wh", {t0 + m * 60000LL + 1000, 1195}), AddResult::backwards);
      EXPECT_EQ(store.add("m", "active_energy_import", "Wh", {t0 + m * 60000LL, 1200}), AddResult::duplicate);
    }
  }
  // Late, in between: merged in order.
  EXPECT_EQ(store.add("m", "active_energy_import", "Wh", {t0 + 30 * 60000LL + 30000, 1305}), AddResult::out_of_order);
  store.flush();
  Statistics stats(store, Prices{});
  EXPECT_NEAR(*stats.energy("m", Direction::import_energy, Period::hour, t0, t0 + 1)[0].wh, 600, 0.01);
}

namespace {
// One kWh per hour from a register sampled each minute across the whole local day.
void fill_day(HistoryStore& store, std::int64_t from, std::int64_t to) {
  for (std::int64_t t = from; t <= to; t += 60000)
    store.add("m", "active_energy_import", "kWh", {t, static_cast<double>(t - from) / 3'600'000.0});
}
}  // namespace

TEST(Accounting, DstDaysHave23And25Hours) {
  TempStore t("dst");
  auto& store = t.open();
  const auto& z = *t.zone;
  fill_day(store, zurich_ms(z, 2021, 3, 27), zurich_ms(z, 2021, 3, 30));
  fill_day(store, zurich_ms(z, 2021, 10, 30), zurich_ms(z, 2021, 11, 2));
  store.flush();
  Statistics stats(store, Prices{});
  auto spring = stats.energy("m", Direction::import_energy, Period::day, zurich_ms(z, 2021, 3, 28), zurich_ms(z, 2021, 3, 29) - 1);
  ASSERT_EQ(spring.size(), 1u);
  EXPECT_EQ(spring[0].end_ms - spring[0].start_ms, 23 * 3'600'000LL);
  EXPECT_NEAR(*spring[0].wh, 23'000, 1e-3);
  auto autumn = stats.energy("m", Direction::import_energy, Period::day, zurich_ms(z, 2021, 10, 31), zurich_ms(z, 2021, 11, 1) - 1);
  EXPECT_EQ(autumn[0].end_ms - autumn[0].start_ms, 25 * 3'600'000LL);
  EXPECT_NEAR(*autumn[0].wh, 25'000, 1e-3);
  auto hours = stats.energy("m", Direction::import_energy, Period::hour, zurich_ms(z, 2021, 10, 31), zurich_ms(z, 2021, 11, 1));
  EXPECT_EQ(hours.size(), 25u);
}

TEST(Accounting, HeatPumpFileDailyTotalsAcrossDst) {
  const std::string file = std::string(METERD_SHARED_DIR) + "/data/ch-heatpump-15min-2021-2023.csv";
  std::ifstream in(file);
  if (!in) GTEST_SKIP() << "data file " << file << " not present; skipping the real-data check";
  TempStore t("heatpump");
  auto& store = t.open();
  const auto& z = *t.zone;
  std::string line;
  std::getline(in, line);
  std::map<std::string, double> by_date;  // hand-computed: sum of the rows of each local date
  std::map<std::string, int> rows_by_date;
  std::set<std::string> seen;
  while (std::getline(in, line)) {
    meterd::CivilTime c;
    double kwh = 0;
    if (std::sscanf(line.c_str(), "%d-%d-%d %d:%d:%d,%lf", &c.year, &c.month, &c.day, &c.hour, &c.minute, &c.second, &kwh) != 7)
      continue;
    if (c.year != 2021) break;
    const auto candidates = z.local_to_utc(meterd::civil_to_seconds(c));
    if (candidates.empty()) continue;
    // The file repeats each quarter of the autumn hour right after itself (02:00, 02:00,
    // 02:15, 02:15, ...): the first is summer time, the repeat the later winter-time instant.
    // A repeated stamp that is not ambiguous (all of 2021-07-01 is listed twice) is the same
    // reading again and counts once.
    const bool repeat = !seen.insert(line.substr(0, 19)).second;
    if (repeat && candidates.size() == 1) continue;
    const std::int64_t start = (repeat ? candidates.back() : candidates.front()) * 1000;
    store.add_interval("hp", "active_energy_import", "kWh", start, start + 900'000, kwh, "");
    by_date[line.substr(0, 10)] += kwh;
    ++rows_by_date[line.substr(0, 10)];
  }
  ASSERT_EQ(by_date.size(), 365u);
  EXPECT_EQ(rows_by_date.at("2021-03-28"), 92);   // 23-hour day
  EXPECT_EQ(rows_by_date.at("2021-10-31"), 100);  // 25-hour day
  EXPECT_EQ(rows_by_date.at("2021-07-01"), 96);   // duplicates dropped
  store.flush();
  Statistics stats(store, Prices{});
  for (auto [date, y, m, d] : {std::tuple{"2021-03-28", 2021, 3, 28}, std::tuple{"2021-10-31", 2021, 10, 31},
                               std::tuple{"2021-06-15", 2021, 6, 15}, std::tuple{"2021-07-01", 2021, 7, 1},
                               std::tuple{"2021-12-31", 2021, 12, 31}}) {
    auto e = stats.energy("hp", Direction::import_energy, Period::day, zurich_ms(z, y, m, d), zurich_ms(z, y, m, d) + 1);
    ASSERT_TRUE(e[0].wh) << date;
    EXPECT_NEAR(*e[0].wh / 1000.0, by_date.at(date), 1e-6) << date;
    EXPECT_EQ(e[0].source, "intervals");
  }
  double year = 0;
  for (const auto& [date, kwh] : by_date) year += kwh;
  auto y = stats.energy("hp", Direction::import_energy, Period::year, zurich_ms(z, 2021, 6, 1), zurich_ms(z, 2021, 6, 2));
  EXPECT_NEAR(*y[0].wh / 1000.0, year, 1e-3);
}
