#include "statistics.hpp"

#include <gtest/gtest.h>

#include "calendar.hpp"
#include "meterd/time_zone.hpp"
#include "store_fixture.hpp"

using namespace meterd::dashboard;
using meterd::dashboard::testing::TempStore;
using meterd::dashboard::testing::zurich_ms;

namespace {
// HT on weekdays 07-20 and Saturday 07-13 at 0.30, NT at 0.20.
Prices swiss_tariff() {
  Prices p;
  p.schedule = TariffSchedule::parse("Mon-Fri 07-20, Sat 07-13");
  p.high = 0.30;
  p.low = 0.20;
  return p;
}
}  // namespace

// Day edges take a 24-hour step where the offset stays; each must still be the local midnight
// the calendar walk finds, in zones with half-hour offsets and shifts and a skipped day.
TEST(Calendar, DayEdgesAreTheLocalMidnightsInEveryZone) {
  for (const char* name : {"Europe/Zurich", "America/St_Johns", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kathmandu", "UTC"}) {
    const auto zone = meterd::TimeZone::load(name);
    const std::int64_t from = 1'262'304'000'000, to = 1'388'534'400'000;  // 2010-01-01 to 2014-01-01 UTC
    const auto edges = period_edges(Period::day, from, to, *zone);
    ASSERT_GT(edges.size(), 1400u) << name;
    for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
      ASSERT_EQ(edges[i + 1], period_next(Period::day, edges[i], *zone)) << name << " after " << edges[i];
      ASSERT_EQ(period_start(Period::day, edges[i + 1], *zone), edges[i + 1]) << name;
    }
  }
  // Samoa skipped 2011-12-30: the day before it ends where 2011-12-31 begins.
  const auto apia = meterd::TimeZone::load("Pacific/Apia");
  const auto dec29 = period_start(Period::day, 1'325'160'000'000, *apia);  // 2011-12-29T12:00Z
  const auto next = period_edges(Period::day, dec29, dec29 + 1, *apia).back();
  EXPECT_EQ(next - dec29, 86'400'000);
  EXPECT_EQ(meterd::seconds_to_civil(apia->utc_to_local(next / 1000)).day, 31);
}

TEST(TariffSchedule, SwissHighTariffWindows) {
  auto s = TariffSchedule::parse(" Mon-Fri 07-20, Sat 07-13 ");
  EXPECT_EQ(s.text(), "Mon-Fri 07-20, Sat 07-13");
  auto z = meterd::TimeZone::load("Europe/Zurich");
  EXPECT_TRUE(s.is_high(zurich_ms(*z, 2024, 1, 8, 7), *z));    // Monday 07:00
  EXPECT_FALSE(s.is_high(zurich_ms(*z, 2024, 1, 8, 20), *z));  // Monday 20:00
  EXPECT_TRUE(s.is_high(zurich_ms(*z, 2024, 1, 13, 12), *z));  // Saturday 12:00
  EXPECT_FALSE(s.is_high(zurich_ms(*z, 2024, 1, 13, 13), *z));
  EXPECT_FALSE(s.is_high(zurich_ms(*z, 2024, 1, 14, 10), *z));  // Sunday
  EXPECT_THROW(TariffSchedule::parse("Mon-Fry 07-20"), std::invalid_argument);
  EXPECT_THROW(TariffSchedule::parse("Mon 20-07"), std::invalid_argument);
  EXPECT_TRUE(TariffSchedule::parse("").empty());
}

TEST(Statistics, CostSplitsHighAndLowTariff) {
  TempStore t("cost");
  auto& store = t.open();
  const auto& z = *t.zone;
  const auto from = zurich_ms(z, 2024, 1, 8), to = zurich_ms(z, 2024, 1, 9);  // a Monday
  // From one minute before the day, so the step into 00:00 is known.
  for (std::int64_t x = from - 60000; x <= to; x += 60000)
    store.add("m", "active_energy_import", "Wh", {x, static_cast<double>(x - from) / 3600.0});  // 1 kW
  store.flush();
  Statistics stats(store, swiss_tariff());
  auto day = stats.energy("m", Direction::import_energy, Period::day, from, from + 1);
  EXPECT_NEAR(*day[0].wh, 24000, 0.05);
  EXPECT_NEAR(day[0].high_wh, 13000, 0.05);  // rollups keep energy to 1 mWh per bucket
  EXPECT_NEAR(day[0].low_wh, 11000, 0.05);
  EXPECT_NEAR(day[0].cost, 13 * 0.30 + 11 * 0.20, 1e-4);
  auto range = stats.energy_range("m", Direction::import_energy, from + 3'600'000, from + 2 * 3'600'000);
  EXPECT_NEAR(*range.wh, 1000, 1e-3);
}

TEST(Statistics, BaseLoadPeaksMatrixVoltageAndPowerFactor) {
  TempStore t("stats");
  auto& store = t.open();
  const auto& z = *t.zone;
  const auto from = zurich_ms(z, 2024, 2, 1);
  for (std::int64_t x = from; x < from + 86'400'000; x += 10000) {
    const int hour = meterd::seconds_to_civil(z.utc_to_local(x / 1000)).hour;
    const double w = hour < 5 ? 150 + (x / 10000 % 10) : (hour == 18 ? 6000 : 800);
    store.add("m", "active_power_import", "W", {x, w});
    store.add("m", "voltage_l1", "V", {x, hour == 12 ? 255.0 : 231.0});
    store.add("m", "power_factor", "", {x, 0.9});
  }
  store.flush();
  Statistics stats(store, Prices{{}, 0.25, 0, 0, "CHF"});
  const auto base = stats.base_load_w("m", from, from + 86'400'000);
  ASSERT_TRUE(base);
  EXPECT_NEAR(*base, 151, 2);
  EXPECT_NEAR(stats.yearly_cost_of(*base, from), *base * 8.76 * 0.25, 1e-9);
  const auto peaks = stats.monthly_peaks("m", from, from + 86'400'000);
  ASSERT_EQ(peaks.size(), 1u);
  EXPECT_NEAR(peaks[0].kw, 6.0, 0.01);
  EXPECT_EQ(meterd::seconds_to_civil(z.utc_to_local(peaks[0].at_ms / 1000)).hour, 18);
  const auto m = stats.hour_matrix("m", Direction::import_energy, from, from + 86'400'000);
  ASSERT_EQ(m.days.size(), 1u);
  EXPECT_NEAR(*m.wh[0][18], 6000, 20);
  const auto v = stats.voltage("m", from, from + 86'400'000);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].minutes_above, 60u);
  EXPECT_EQ(v[0].minutes_below, 0u);
  EXPECT_DOUBLE_EQ(*v[0].max, 255);
  EXPECT_NEAR(*stats.power_factor("m", from, from + 86'400'000).mean, 0.9, 1e-9);
}

// Two meters, one with an energy register and one with power only, each with its own short
// burst: the peak of their sum is not the sum of their peaks, and the year's HT/NT split adds
// whole local days of both. Expected values worked out by hand from the loads below.
TEST(Statistics, InsightsAddTheMetersBeforeChoosingPeaksAndSplitWholeDays) {
  TempStore t("insights");
  auto& store = t.open();
  const auto& z = *t.zone;
  const auto from = zurich_ms(z, 2024, 1, 31), to = zurich_ms(z, 2024, 2, 2);  // Wednesday and Thursday
  const std::int64_t quarter = 900'000;
  const auto in = [&](std::int64_t x, std::int64_t start) { return x >= start && x < start + quarter; };
  const auto a_jan = zurich_ms(z, 2024, 1, 31, 10), a_feb = zurich_ms(z, 2024, 2, 1, 7), b_feb = zurich_ms(z, 2024, 2, 1, 18);
  // Meter a: 1 kW, 9 kW from 10:00 on 31 January and 6 kW from 07:00 on 1 February, 15 min each.
  const auto power_a = [&](std::int64_t x) { return 1000.0 + (in(x, a_jan) ? 8000 : 0) + (in(x, a_feb) ? 5000 : 0); };
  double register_wh = 5000;
  for (std::int64_t x = from - 60'000; x <= to + 60'000; x += 60'000) {
    store.add("a", "active_energy_import", "Wh", {x, register_wh});
    register_wh += power_a(x) / 60.0;  // the minute starting at x
  }
  // Meter b: 2 kW, 8 kW from 18:00 on 1 February for 15 min.
  for (std::int64_t x = from - 60'000; x <= to + 60'000; x += 10'000)
    store.add("b", "active_power_import", "W", {x, 2000.0 + (in(x, b_feb) ? 6000 : 0)});
  store.flush();
  Statistics stats(store, swiss_tariff());

  const auto peaks = stats.monthly_peaks(std::vector<std::string>{"a", "b"}, from, to);
  ASSERT_EQ(peaks.size(), 2u);
  EXPECT_EQ(peaks[0].month_start_ms, zurich_ms(z, 2024, 1, 1));
  EXPECT_EQ(peaks[0].at_ms, a_jan);
  EXPECT_NEAR(peaks[0].kw, 9 + 2, 0.1);  // a's burst with b's base
  EXPECT_EQ(peaks[1].month_start_ms, zurich_ms(z, 2024, 2, 1));
  EXPECT_EQ(peaks[1].at_ms, b_feb);
  EXPECT_NEAR(peaks[1].kw, 1 + 8, 0.1);  // not 6 + 8: a's own February peak is at another time

  // a: 26 kWh (HT 13 + 2) and 25.25 kWh (HT 13 + 1.25); b: 48 kWh (HT 26) and 49.5 kWh (HT 26 + 1.5).
  const auto total = stats.energy_total({"a", "b"}, Direction::import_energy, from, to);
  ASSERT_TRUE(total.wh);
  EXPECT_NEAR(*total.wh, 148'750, 20);
  EXPECT_NEAR(total.high_wh, 82'750, 20);
  EXPECT_NEAR(total.low_wh, 66'000, 20);
  EXPECT_NEAR(total.cost, 82.75 * 0.30 + 66 * 0.20, 0.01);
  EXPECT_NEAR(total.coverage, 1.0, 1e-3);
  // Only whole local days count: half of 1 February is left out.
  const auto first_day = stats.energy_total({"a", "b"}, Direction::import_energy, from, zurich_ms(z, 2024, 2, 1, 12));
  EXPECT_NEAR(*first_day.wh, 26'000 + 48'000, 20);
  EXPECT_NEAR(first_day.coverage, 24.0 / 36.0, 1e-3);
}
