// The price model: bands with holidays (Swiss cantonal ones computed from Easter), price
// components with VAT, the feed-in credit and dynamic prices per 15 minutes, each against
// expectations worked out by hand in the comments.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "holidays.hpp"
#include "price_schedule.hpp"
#include "statistics.hpp"
#include "store_fixture.hpp"

using namespace meterd::dashboard;
using meterd::dashboard::testing::TempStore;
using meterd::dashboard::testing::zurich_ms;

namespace {
constexpr std::int64_t kHour = 3'600'000;

std::int64_t day(int y, int m, int d) { return meterd::days_from_civil(y, m, d); }

template <typename F>
std::string refusal(F&& parse) {
  try {
    parse();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "accepted";
}

// A register rising by `watts` continuously over [from, to), sampled every minute, starting
// at `start` Wh (later calls on one meter start higher, so it keeps rising).
void constant_load(HistoryStore& store, const std::string& meter, const std::string& quantity, std::int64_t from,
                   std::int64_t to, double watts = 1000, double start = 1000) {
  for (std::int64_t x = from - 60000; x <= to + 60000; x += 60000)
    store.add(meter, quantity, "Wh", {x, static_cast<double>(x - from) / 3'600'000.0 * watts + start});
}
}  // namespace

TEST(Holidays, EasterAndTheCantonalTableGiveTheKnownDates) {
  // Easter Sundays as published (e.g. the calendar of the Swiss Federal Chancellery).
  EXPECT_EQ(easter_sunday(2024), day(2024, 3, 31));
  EXPECT_EQ(easter_sunday(2025), day(2025, 4, 20));
  EXPECT_EQ(easter_sunday(2026), day(2026, 4, 5));
  EXPECT_EQ(easter_sunday(2038), day(2038, 4, 25));  // the latest possible date
  EXPECT_EQ(easter_sunday(2285), day(2285, 3, 22));  // the earliest possible date
  const auto zh = Holidays::parse("", "ZH", "");
  for (const auto d : {day(2026, 1, 1), day(2026, 4, 3), day(2026, 4, 6), day(2026, 5, 1), day(2026, 5, 14),
                       day(2026, 5, 25), day(2026, 8, 1), day(2026, 12, 25), day(2026, 12, 26)})
    EXPECT_TRUE(zh.contains(d)) << d;
  for (const auto d : {day(2026, 4, 5) + 60, day(2026, 8, 15), day(2026, 11, 1), day(2026, 4, 2), day(2026, 12, 24)})
    EXPECT_FALSE(zh.contains(d)) << d;  // Corpus Christi, Assumption, All Saints: catholic cantons only
  // Berchtold's Day is no public holiday of the canton of Zurich: its Ruhetags- und
  // Ladenoeffnungsgesetz (LS 822.4) does not list it; only the city of Zurich keeps it.
  EXPECT_FALSE(zh.contains(day(2026, 1, 2)));
  const auto ti = Holidays::parse("", "TI", "");
  EXPECT_FALSE(ti.contains(day(2026, 4, 3)));  // no Good Friday in Ticino
  EXPECT_TRUE(ti.contains(day(2026, 6, 4)));   // Corpus Christi, Easter + 60
  EXPECT_TRUE(ti.contains(day(2026, 6, 29)));  // St Peter and St Paul
  // Geneva: the Thursday after the first Sunday of September (6 Sep 2026); Vaud: the Monday
  // after the third (20 Sep 2026).
  EXPECT_TRUE(Holidays::parse("", "GE", "").contains(day(2026, 9, 10)));
  EXPECT_TRUE(Holidays::parse("", "VD", "").contains(day(2026, 9, 21)));
  EXPECT_FALSE(Holidays::parse("", "VD", "").contains(day(2026, 12, 26)));
  // Listed dates come on top of a canton's.
  const auto own = Holidays::parse("2026-12-24, 2026-12-31", "ZH", "Sat");
  EXPECT_TRUE(own.contains(day(2026, 12, 24)));
  EXPECT_EQ(own.weekday_of(day(2026, 12, 24)), 5);  // a Thursday priced like a Saturday
  EXPECT_EQ(own.weekday_of(day(2026, 12, 23)), 2);  // a Wednesday
  EXPECT_NE(refusal([] { Holidays::parse("2026-02-30", "", ""); }).find("option 'holidays': '2026-02-30' is not a date"),
            std::string::npos);
  EXPECT_NE(refusal([] { Holidays::parse("", "zh", ""); }).find("option 'holiday_canton': 'zh' is no Swiss canton"),
            std::string::npos);
  EXPECT_NE(refusal([] { Holidays::parse("", "", "Sunday"); }).find("option 'holidays_as'"), std::string::npos);
}

// A few dates per canton, checked by hand against the cantons' published lists (2026: Easter
// on 5 April, so Good Friday 3 April, Easter Monday 6 April, Whit Monday 25 May, Corpus Christi
// 4 June; 26 December is a Saturday).
TEST(Holidays, EachCantonKeepsItsOwnDates) {
  const auto has = [](const char* canton, std::int64_t d) { return Holidays::parse("", canton, "").contains(d); };
  EXPECT_TRUE(has("BE", day(2026, 1, 2)));    // Berchtold's Day in Bern
  EXPECT_TRUE(has("VD", day(2026, 1, 2)));
  EXPECT_FALSE(has("ZH", day(2026, 1, 2)));
  EXPECT_FALSE(has("SG", day(2026, 1, 2)));   // allowed there, not required
  EXPECT_TRUE(has("SZ", day(2026, 1, 6)));    // Epiphany
  EXPECT_TRUE(has("NE", day(2026, 3, 1)));    // Republic Day
  EXPECT_TRUE(has("VS", day(2026, 3, 19)));   // St Joseph
  EXPECT_FALSE(has("GR", day(2026, 4, 3)));   // Good Friday is optional in Graubuenden
  EXPECT_TRUE(has("GR", day(2026, 4, 6)));
  EXPECT_FALSE(has("ZG", day(2026, 4, 6)));   // Easter Monday optional in Zug
  EXPECT_TRUE(has("AG", day(2026, 5, 1)));    // Labour Day
  EXPECT_FALSE(has("BE", day(2026, 5, 1)));
  EXPECT_FALSE(has("NE", day(2026, 5, 25)));  // no Whit Monday in Neuchatel
  EXPECT_TRUE(has("NE", day(2026, 6, 4)));    // but Corpus Christi
  EXPECT_TRUE(has("JU", day(2026, 6, 23)));   // Jura's independence
  EXPECT_TRUE(has("OW", day(2026, 9, 25)));   // St Nicholas of Flue
  EXPECT_TRUE(has("GE", day(2026, 12, 31)));  // Restoration of the Republic
  // Fribourg's holidays differ between its catholic and reformed communes: only those of all.
  EXPECT_TRUE(has("FR", day(2026, 4, 3)));
  EXPECT_FALSE(has("FR", day(2026, 6, 4)));
  EXPECT_FALSE(has("FR", day(2026, 4, 6)));
  // Glarus: Naefelser Fahrt, the first Thursday of April, a week later when that is Maundy
  // Thursday (2 April 2026, so 9 April; 3 April 2025).
  EXPECT_TRUE(has("GL", day(2026, 4, 9)));
  EXPECT_FALSE(has("GL", day(2026, 4, 2)));
  EXPECT_TRUE(has("GL", day(2025, 4, 3)));
  // Days kept on some weekdays only: in Neuchatel 2 January and 26 December when they are a
  // Monday; in Appenzell and Uri 26 December unless Christmas is a Monday or a Friday.
  EXPECT_TRUE(has("NE", day(2023, 1, 2)));
  EXPECT_FALSE(has("NE", day(2026, 1, 2)));
  EXPECT_TRUE(has("NE", day(2022, 12, 26)));
  EXPECT_FALSE(has("NE", day(2025, 12, 26)));
  EXPECT_TRUE(has("AI", day(2025, 12, 26)));
  EXPECT_FALSE(has("AI", day(2023, 12, 26)));
  EXPECT_FALSE(has("UR", day(2026, 12, 26)));
  EXPECT_TRUE(has("SZ", day(2026, 12, 26)));
}

// Every canton against the table of the `holidays` Python package, 2022 to 2030, both ways:
// each of its dates is a holiday here, and here there is no holiday it does not list.
TEST(Holidays, EveryCantonMatchesThePublishedTableFrom2022To2030) {
  std::ifstream file(std::string(METERD_DASHBOARD_TEST_DATA) + "/swiss_cantonal_holidays.csv");
  ASSERT_TRUE(file) << "missing tests/dashboard/data/swiss_cantonal_holidays.csv";
  std::map<std::string, std::set<std::int64_t>> expected;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#' || line.starts_with("canton,")) continue;
    const auto date = parse_local_date(std::string_view(line).substr(3, 10));
    ASSERT_GE(date, 0) << line;
    expected[line.substr(0, 2)].insert(date);
  }
  ASSERT_EQ(expected.size(), 26u);
  for (const auto& [canton, dates] : expected) {
    const auto holidays = Holidays::parse("", canton, "");
    std::set<std::int64_t> ours;
    for (int year = 2022; year <= 2030; ++year)
      for (const auto& [d, name] : holidays.of_year(year)) ours.insert(d);
    EXPECT_EQ(ours, dates) << canton;
    for (const auto d : dates) EXPECT_TRUE(holidays.contains(d)) << canton << " " << d;
  }
}

TEST(PriceBands, ThreeBandsWithEasterHolidaysPriceEachHour) {
  auto z = meterd::TimeZone::load("Europe/Zurich");
  Prices p;
  p.bands = BandSchedule::parse("peak: Mon-Fri 17-21; day: Mon-Fri 07-17, Sat 07-13; night: rest");
  p.holidays = Holidays::parse("", "ZH", "");
  p.dated = parse_price_sets("prices", "2026-01-01 peak=0.40 day=0.30 night=0.20", p.band_names(), *z, true);
  EXPECT_EQ(p.band_names(), (std::vector<std::string>{"peak", "day", "night"}));
  EXPECT_EQ(p.bands.hours_per_week(0), 20);
  EXPECT_EQ(p.bands.hours_per_week(1), 56);
  EXPECT_EQ(p.bands.hours_per_week(2), 92);
  // Friday 10 April 2026 18:00 is peak; Good Friday (3 April) and Whit Monday (25 May) at the
  // same hour are Sundays, so night.
  EXPECT_DOUBLE_EQ(p.price_at(zurich_ms(*z, 2026, 4, 10, 18), *z), 0.40);
  EXPECT_DOUBLE_EQ(p.price_at(zurich_ms(*z, 2026, 4, 3, 18), *z), 0.20);
  EXPECT_DOUBLE_EQ(p.price_at(zurich_ms(*z, 2026, 5, 25, 10), *z), 0.20);
  EXPECT_DOUBLE_EQ(p.price_at(zurich_ms(*z, 2026, 5, 26, 10), *z), 0.30);
  EXPECT_DOUBLE_EQ(p.price_at(zurich_ms(*z, 2026, 4, 11, 12), *z), 0.30);  // Saturday 12:00
  EXPECT_DOUBLE_EQ(p.price_at(zurich_ms(*z, 2026, 4, 11, 13), *z), 0.20);  // Saturday 13:00

  const auto bad = [&](const std::string& text) { return refusal([&] { BandSchedule::parse(text); }); };
  EXPECT_NE(bad("peak: Mon-Fri 17-21; day: Mon-Fri 07-18; night: rest").find("claims Mon 17:00, which is already in band 'peak'"),
            std::string::npos);
  EXPECT_NE(bad("peak: Mon-Fri 17-21; day: Mon-Fri 07-17").find("leaves Mon 00:00 in no band"), std::string::npos);
  EXPECT_NE(bad("Peak: Mon-Fri 17-21; night: rest").find("lower-case"), std::string::npos);
  EXPECT_NE(bad("peak Mon-Fri 17-21").find("no 'name:'"), std::string::npos);
  EXPECT_NE(bad("a: rest; b: rest").find("second band of the 'rest' hours"), std::string::npos);
  EXPECT_NE(bad("a: Mon-Fry 07-20; b: rest").find("option 'bands'"), std::string::npos);
  // Prices must name every band, and only bands.
  const auto names = p.band_names();
  const auto price_refusal = [&](const std::string& text) {
    return refusal([&] { parse_price_sets("prices", text, names, *z, true); });
  };
  EXPECT_NE(price_refusal("2026-01-01 peak=0.4 day=0.3").find("needs a price for every band: peak=, day= and night=; "
                                                              "write e.g. '2026-01-01 peak=0.30 day=0.30 night=0.30'"),
            std::string::npos);
  EXPECT_NE(price_refusal("2026-01-01 peak=0.4 day=0.3 night=0.2 off=0.1").find("the keys are price, peak, day and night"),
            std::string::npos);
}

TEST(PriceComponents, GridLeviesAndVatAddUpPerBandAndEveryPartIsShown) {
  TempStore t("price-components");
  auto& store = t.open();
  const auto& z = *t.zone;
  // Wednesday 7 January 2026, 1 kW all day: 13 HT hours (07-20), 11 NT hours.
  const auto from = zurich_ms(z, 2026, 1, 7), to = zurich_ms(z, 2026, 1, 8);
  constant_load(store, "m", "active_energy_import", from, to);
  store.flush();
  Prices p;
  p.schedule = TariffSchedule::parse("Mon-Fri 07-20, Sat 07-13");
  p.dated = parse_dated_prices("2026-01-01 ht=0.30 nt=0.20", true, z);
  p.grid = parse_price_sets("grid_prices", "ht=0.10 nt=0.05", p.band_names(), z);
  p.levies = parse_price_sets("levies", "0.02", p.band_names(), z);
  p.vat_percent = 8.1;
  Statistics stats(store, p);
  const auto days = stats.energy("m", Direction::import_energy, Period::day, from, to);
  ASSERT_EQ(days.size(), 1u);
  const auto& d = days[0];
  // energy 13 × 0.30 + 11 × 0.20 = 6.10; grid 13 × 0.10 + 11 × 0.05 = 1.85; levies 24 × 0.02
  // = 0.48; VAT 8.1 % of 8.43 = 0.68283; total 9.11283.
  EXPECT_NEAR(d.energy_cost, 6.10, 1e-4);
  EXPECT_NEAR(d.grid_cost, 1.85, 1e-4);
  EXPECT_NEAR(d.levies_cost, 0.48, 1e-4);
  EXPECT_NEAR(d.vat_cost, 0.68283, 1e-4);
  EXPECT_NEAR(d.cost, 9.11283, 1e-4);
  // The HT part: 13 × 0.42 × 1.081 = 5.90226.
  EXPECT_NEAR(d.high_cost, 5.90226, 1e-4);
  ASSERT_EQ(d.band_wh.size(), 2u);
  EXPECT_NEAR(d.band_wh[0], 13000, 0.05);
  EXPECT_NEAR(d.band_cost[1], 11 * 0.27 * 1.081, 1e-4);
  // A constant 100 W for a year with the schedule's 71 HT hours a week, all components.
  EXPECT_NEAR(p.yearly_cost_of(100, from), 876 * (71.0 / 168 * 0.42 + 97.0 / 168 * 0.27) * 1.081, 1e-6);
  // Without a schedule a component is one number or price=; with one, ht/nt or price=.
  EXPECT_NE(refusal([&] { parse_price_sets("levies", "0,02", {}, z); }).find("option 'levies': '0,02' has a comma"),
            std::string::npos);
  EXPECT_NE(refusal([&] { parse_price_sets("grid_prices", "ht=0.1", {"ht", "nt"}, z); }).find("needs both ht= and nt="),
            std::string::npos);
}

TEST(PriceFeedIn, ExportedEnergyEarnsTheFeedInCreditPerBandWithoutVat) {
  TempStore t("price-feed-in");
  auto& store = t.open();
  const auto& z = *t.zone;
  const auto from = zurich_ms(z, 2026, 1, 7), to = zurich_ms(z, 2026, 1, 8);
  constant_load(store, "m", "active_energy_export", from, to, 500);
  store.flush();
  Prices p;
  p.schedule = TariffSchedule::parse("Mon-Fri 07-20, Sat 07-13");
  p.dated = parse_dated_prices("2026-01-01 ht=0.30 nt=0.20", true, z);
  p.vat_percent = 8.1;
  p.feed_in = parse_price_sets("feed_in", "ht=0.12 nt=0.06", p.band_names(), z);
  Statistics stats(store, p);
  const auto d = stats.energy("m", Direction::export_energy, Period::day, from, to).at(0);
  // 6.5 kWh × 0.12 + 5.5 kWh × 0.06 = 1.11; no VAT on the credit.
  EXPECT_NEAR(*d.wh, 12000, 0.05);
  EXPECT_NEAR(d.cost, 1.11, 1e-4);
  EXPECT_DOUBLE_EQ(d.vat_cost, 0);
}

// Dynamic prices per 15 minutes on both DST days of 2026 in Zurich: 0.20 until 12:00 local,
// 0.50 for 12:00-12:15, 0.30 from 12:15 on (a change in the middle of an hour), 1 kW all day.
TEST(PriceDynamic, QuarterHourPricesAreCostedExactlyOnBothDstDays) {
  TempStore t("price-dynamic");
  auto& store = t.open();
  const auto& z = *t.zone;
  struct Case {
    int month, day;
    double hours_before_noon, expected;
  };
  // 29 March: 23 hours, the hour 02-03 skipped: 11 h × 0.20 + 0.25 × 0.50 + 11.75 × 0.30 = 5.85.
  // 25 October: 25 hours, 02-03 twice: 13 h × 0.20 + 0.125 + 3.525 = 6.25.
  const Case cases[] = {{3, 29, 11, 5.85}, {10, 25, 13, 6.25}};
  for (const auto& c : cases) {
    const auto from = zurich_ms(z, 2026, c.month, c.day), to = zurich_ms(z, 2026, c.month, c.day + 1);
    constant_load(store, "m", "active_energy_import", from, to, 1000, c.month * 10000.0);
    const auto noon = zurich_ms(z, 2026, c.month, c.day, 12);
    for (auto q = from; q < to; q += 900'000)
      store.add("spot", "price", "CHF/kWh", {q, q < noon ? 0.20 : q == noon ? 0.50 : 0.30});
  }
  store.flush();
  Prices p;
  p.single = 0.99;  // the fixed price, for intervals no dynamic price covers
  p.dynamic_meter = "spot";
  p.dynamic_max_age_ms = 15 * 60'000;
  Statistics stats(store, p);
  for (const auto& c : cases) {
    const auto from = zurich_ms(z, 2026, c.month, c.day), to = zurich_ms(z, 2026, c.month, c.day + 1);
    const auto d = stats.energy("m", Direction::import_energy, Period::day, from, to).at(0);
    EXPECT_NEAR(*d.wh, (c.hours_before_noon + 12) * 1000, 0.05) << c.month;
    EXPECT_NEAR(d.cost, c.expected, 1e-4) << c.month;
    EXPECT_NEAR(d.dynamic_wh, *d.wh, 0.05);
    // The hour 12-13 holds the change: 0.25 × 0.50 + 0.75 × 0.30 = 0.35.
    const auto noon = zurich_ms(z, 2026, c.month, c.day, 12);
    const auto hour = stats.energy("m", Direction::import_energy, Period::hour, noon, noon + kHour).at(0);
    EXPECT_NEAR(hour.cost, 0.35, 1e-5);
  }
  // The day after has load but no prices: the fixed price, and no energy counted as dynamic.
  const auto from = zurich_ms(z, 2026, 10, 27), to = zurich_ms(z, 2026, 10, 28);
  constant_load(store, "m", "active_energy_import", from, to, 1000, 200'000);
  store.flush();
  const auto d = stats.energy("m", Direction::import_energy, Period::day, from, to).at(0);
  EXPECT_NEAR(d.cost, 24 * 0.99, 1e-4);
  EXPECT_DOUBLE_EQ(d.dynamic_wh, 0);
}

TEST(PriceDynamic, HourlyPricesHoldForTheirHourAndAStalePriceFallsBack) {
  PriceTable table;
  table.valid_ms = kHour;
  table.points = {{0, 0.10}, {kHour, 0.20}, {2 * kHour, 0.30}};
  EXPECT_EQ(table.at(-1), std::nullopt);
  EXPECT_DOUBLE_EQ(*table.at(45 * 60'000), 0.10);
  EXPECT_DOUBLE_EQ(*table.at(kHour + 59 * 60'000), 0.20);
  EXPECT_DOUBLE_EQ(*table.at(3 * kHour - 1), 0.30);
  EXPECT_EQ(table.at(3 * kHour), std::nullopt);  // older than its hour: stale
}
