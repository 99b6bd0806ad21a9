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

TEST(Accounting, GapStaysAGapAndIsNeverSmeared) {
  TempStore t("gap", "UTC");
  auto& store = t.open();
  const std::int64_t t0 = 1'700'006'400'000;  // a UTC hour boundary
  // Register at 1 kW sampled each minute for 1 h, silent 2 h, then 1 h more; 3 kWh consumed in the gap.
  double wh = 0;
  for (int m = 0; m <= 60; ++m) store.add("m", "active_energy_import", "Wh", {t0 + m * 60000LL, wh + m * 1000.0 / 60});
  wh = 1000 + 3000;
  for (int m = 0; m < 60; ++m) store.add("m", "active_energy_import", "Wh", {t0 + 3 * 3'600'000LL + m * 60000LL, wh + m * 1000.0 / 60});
  store.flush();
  Statistics stats(store, Prices{});
  const auto hours = stats.energy("m", Direction::import_energy, Period::hour, t0, t0 + 4 * 3'600'000LL);
  ASSERT_EQ(hours.size(), 4u);
  // A step is credited to the bucket of its later sample: hour 0 holds 59 steps, the step
  // into the 01:00 sample belongs to hour 1.
  EXPECT_NEAR(*hours[0].wh, 983.333, 0.01);
  EXPECT_NEAR(*hours[1].wh, 16.667, 0.01);
  EXPECT_FALSE(hours[2].wh);           // missing, not zero and not 1500
  EXPECT_NEAR(*hours[3].wh, 983.333, 0.01);  // only its own 59 steps, not the 3 kWh of the gap
  EXPECT_LT(hours[3].coverage, 1.0);
  // The day contains the whole gap, so its total includes the gap's energy.
  const auto day = stats.energy("m", Direction::import_energy, Period::day, t0, t0 + 1);
  EXPECT_NEAR(*day[0].wh, 983.333 + 16.667 + 3000 + 983.333, 0.01);
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
