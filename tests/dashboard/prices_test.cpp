#include <gtest/gtest.h>

#include "price_schedule.hpp"
#include "statistics.hpp"
#include "store_fixture.hpp"

using namespace meterd::dashboard;
using meterd::dashboard::testing::TempStore;
using meterd::dashboard::testing::zurich_ms;

namespace {
std::string refusal(const std::string& text, bool has_schedule = true) {
  auto zone = meterd::TimeZone::load("Europe/Zurich");
  try {
    parse_dated_prices(text, has_schedule, *zone);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "accepted";
}
}  // namespace

TEST(PriceSchedule, ParsesDatedPricesAndRefusesBadOnesClearly) {
  auto z = meterd::TimeZone::load("Europe/Zurich");
  const auto sets = parse_dated_prices(" 2025-01-01 ht=0.31 nt=0.21, 2026-01-01 ht=0.32  nt=0.22 ", true, *z);
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0].from_date, "2025-01-01");
  EXPECT_EQ(sets[0].from_ms, zurich_ms(*z, 2025, 1, 1));  // local midnight, 23:00 UTC the day before
  EXPECT_DOUBLE_EQ(sets[1].high, 0.32);
  EXPECT_DOUBLE_EQ(sets[1].low, 0.22);
  const auto single = parse_dated_prices("2024-07-01 price=0.27", false, *z);
  ASSERT_EQ(single.size(), 1u);
  EXPECT_DOUBLE_EQ(single[0].single, 0.27);
  EXPECT_TRUE(parse_dated_prices("", false, *z).empty());

  EXPECT_NE(refusal("2025-13-01 ht=0.31 nt=0.21").find("does not start with a date"), std::string::npos);
  EXPECT_NE(refusal("2025-02-30 price=0.3").find("does not start with a date"), std::string::npos);
  EXPECT_NE(refusal("2026-01-01 price=0.3, 2025-01-01 price=0.2").find("ascending"), std::string::npos);
  EXPECT_NE(refusal("2025-01-01 price=0.3, 2025-01-01 price=0.2").find("ascending"), std::string::npos);
  EXPECT_NE(refusal("2025-01-01 ht=0.31").find("both ht= and nt="), std::string::npos);
  EXPECT_NE(refusal("2025-01-01 ht=0.31 nt=0.21", false).find("no ht_schedule"), std::string::npos);
  EXPECT_NE(refusal("2025-01-01 price=-0.1").find("negative"), std::string::npos);
  EXPECT_NE(refusal("2025-01-01 price=0.3x").find("not key=number"), std::string::npos);
  EXPECT_NE(refusal("2025-01-01 price=0,31").find("'31' does not start with a date"), std::string::npos);  // a decimal comma
  EXPECT_NE(refusal("2025-01-01 hi=0.31").find("the keys are price, ht and nt"), std::string::npos);
  EXPECT_NE(refusal("2025-01-01").find("needs either price="), std::string::npos);
  // Every refusal names the option and shows the form that works.
  EXPECT_NE(refusal("2025-01-01").find("option 'prices'"), std::string::npos);
  EXPECT_NE(refusal("2025-01-01").find("2025-01-01 ht=0.31 nt=0.21"), std::string::npos);
}

TEST(PriceSchedule, EachDayIsCostedWithThePricesValidThenAcrossFirstJanuary) {
  TempStore t("prices-new-year");
  auto& store = t.open();
  const auto& z = *t.zone;
  const auto from = zurich_ms(z, 2025, 12, 31), to = zurich_ms(z, 2026, 1, 2);
  for (std::int64_t x = from - 60000; x <= to; x += 60000)
    store.add("m", "active_energy_import", "Wh", {x, static_cast<double>(x - from) / 3600.0});  // 1 kW
  store.flush();
  Prices p;
  p.schedule = TariffSchedule::parse("Mon-Fri 07-20, Sat 07-13");
  p.dated = parse_dated_prices("2025-01-01 ht=0.31 nt=0.21, 2026-01-01 ht=0.32 nt=0.22", true, z);
  Statistics stats(store, p);
  const auto days = stats.energy("m", Direction::import_energy, Period::day, from, to);
  ASSERT_EQ(days.size(), 2u);
  // 31 Dec 2025 is a Wednesday, 1 Jan 2026 a Thursday: 13 HT and 11 NT hours each.
  for (const auto& d : days) {
    EXPECT_NEAR(d.high_wh, 13000, 0.05);
    EXPECT_NEAR(d.low_wh, 11000, 0.05);
  }
  EXPECT_NEAR(days[0].cost, 13 * 0.31 + 11 * 0.21, 1e-4);
  EXPECT_NEAR(days[1].cost, 13 * 0.32 + 11 * 0.22, 1e-4);
  EXPECT_NEAR(days[1].high_cost, 13 * 0.32, 1e-4);
  EXPECT_NEAR(days[1].low_cost, 11 * 0.22, 1e-4);
  // The last hour of the old year and the first of the new one.
  const auto hours = stats.energy("m", Direction::import_energy, Period::hour, to - 25 * 3'600'000LL, to - 23 * 3'600'000LL);
  ASSERT_EQ(hours.size(), 2u);
  EXPECT_NEAR(hours[0].cost, 0.21, 1e-5);
  EXPECT_NEAR(hours[1].cost, 0.22, 1e-5);
  // Before the first date the first prices apply; after the last, the last.
  EXPECT_DOUBLE_EQ(p.price_at(zurich_ms(z, 2020, 6, 1, 3), z), 0.21);
  EXPECT_DOUBLE_EQ(p.price_at(zurich_ms(z, 2030, 6, 3, 10), z), 0.32);
}

TEST(PriceSchedule, FixedFeeIsChargedPerDayOfItsMonth) {
  auto z = meterd::TimeZone::load("Europe/Zurich");
  Prices p;
  p.fixed_fee_per_month = 15.5;
  EXPECT_NEAR(p.fixed_fee(zurich_ms(*z, 2024, 2, 1), zurich_ms(*z, 2024, 3, 1), *z), 15.5, 1e-9);    // 29 days
  EXPECT_NEAR(p.fixed_fee(zurich_ms(*z, 2024, 2, 10), zurich_ms(*z, 2024, 2, 11), *z), 15.5 / 29, 1e-9);
  EXPECT_NEAR(p.fixed_fee(zurich_ms(*z, 2024, 2, 10), zurich_ms(*z, 2024, 2, 10, 12), *z), 15.5 / 58, 1e-9);
  // The 23-hour day of the spring change is a whole day of March; the month is the whole fee.
  EXPECT_NEAR(p.fixed_fee(zurich_ms(*z, 2024, 3, 31), zurich_ms(*z, 2024, 4, 1), *z), 15.5 / 31, 1e-9);
  EXPECT_NEAR(p.fixed_fee(zurich_ms(*z, 2024, 3, 1), zurich_ms(*z, 2024, 4, 1), *z), 15.5, 1e-9);
  // Across a month's end: 2 days of January (of 31) and 3 of February (of 29).
  EXPECT_NEAR(p.fixed_fee(zurich_ms(*z, 2024, 1, 30), zurich_ms(*z, 2024, 2, 4), *z), 15.5 * (2.0 / 31 + 3.0 / 29), 1e-9);
  EXPECT_NEAR(p.fixed_fee(zurich_ms(*z, 2024, 1, 1), zurich_ms(*z, 2025, 1, 1), *z), 12 * 15.5, 1e-9);
  EXPECT_DOUBLE_EQ(Prices{}.fixed_fee(0, 86'400'000, *z), 0);
}

TEST(PriceSchedule, BaseLoadYearUsesTheScheduleMixOfHighAndLowHours) {
  auto z = meterd::TimeZone::load("Europe/Zurich");
  Prices p;
  p.schedule = TariffSchedule::parse("Mon-Fri 07-20, Sat 07-13");
  EXPECT_EQ(p.schedule.high_hours_per_week(), 5 * 13 + 6);
  p.dated = parse_dated_prices("2025-01-01 ht=0.30 nt=0.20, 2026-01-01 ht=0.40 nt=0.25", true, *z);
  const double kwh = 100 * 8.76;
  EXPECT_NEAR(p.yearly_cost_of(100, zurich_ms(*z, 2025, 6, 1)), kwh * (71.0 / 168 * 0.30 + 97.0 / 168 * 0.20), 1e-9);
  EXPECT_NEAR(p.yearly_cost_of(100, zurich_ms(*z, 2026, 6, 1)), kwh * (71.0 / 168 * 0.40 + 97.0 / 168 * 0.25), 1e-9);
  Prices flat;
  flat.single = 0.27;
  EXPECT_NEAR(flat.yearly_cost_of(100, 0), kwh * 0.27, 1e-9);
}
