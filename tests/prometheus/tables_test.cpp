// The tables behind the page, with a controlled clock: staleness per series and per meter,
// health counters from Diagnostics, and the energy price valid at the scrape's time.
#include <gtest/gtest.h>

#include "exposition_parser.hpp"
#include "health_table.hpp"
#include "meter_table.hpp"
#include "price_table.hpp"

using namespace meterd::prometheus;
using namespace std::chrono_literals;

namespace {

meterd::v1::Reading reading(const std::string& meter, const std::string& obis, const std::string& quantity, double v,
                            const std::string& unit) {
  meterd::v1::Reading r;
  r.set_meter_id(meter);
  auto* value = r.add_values();
  value->set_obis(obis);
  value->set_quantity(quantity);
  value->set_number(v);
  value->set_unit(unit);
  return r;
}

meterd::test::Exposition render(MeterTable& table, MeterTable::Clock::time_point now) {
  FamilySet set;
  table.append_to(set, now);
  return meterd::test::parse_exposition(set.render());
}

}  // namespace

TEST(MeterTable, SeriesExpireOneByOneAndTheMeterWithTheLast) {
  MeterTable table(10s);
  const auto t0 = MeterTable::Clock::time_point{} + 1000s;
  // A meter whose pushes alternate: power often, the energy register rarely.
  EXPECT_TRUE(table.update(reading("m", "1-0:1.8.0", "active_energy_import", 100, "kWh"), t0));
  EXPECT_TRUE(table.update(reading("m", "1-0:1.7.0", "active_power_import", 500, "W"), t0 + 8s));
  auto page = render(table, t0 + 9s);
  EXPECT_EQ(page.value("meterd_energy_active_kwh_total", {{"meter", "m"}}), 100.0);
  EXPECT_EQ(page.value("meterd_last_reading_age_seconds", {{"meter", "m"}}), 1.0);

  page = render(table, t0 + 11s);  // the register went stale, power did not
  EXPECT_FALSE(page.value("meterd_energy_active_kwh_total", {{"meter", "m"}}));
  EXPECT_EQ(page.value("meterd_power_watts", {{"meter", "m"}}), 500.0);
  EXPECT_EQ(table.meter_count(), 1u);

  page = render(table, t0 + 18s + 1ms);
  EXPECT_TRUE(page.families.empty());
  EXPECT_EQ(table.meter_count(), 0u);
}

TEST(MeterTable, ReadingWithoutLatestValuesDoesNotRefreshTheMeter) {
  MeterTable table(10s);
  const auto t0 = MeterTable::Clock::time_point{} + 1000s;
  table.update(reading("m", "1-0:1.7.0", "active_power_import", 500, "W"), t0);
  auto history = reading("m", "1-0:1.8.0", "active_energy_import", 0.5, "kWh");
  history.mutable_values(0)->set_interval_end_ms(5);
  EXPECT_FALSE(table.update(history, t0 + 5s));
  EXPECT_EQ(render(table, t0 + 6s).value("meterd_last_reading_age_seconds", {{"meter", "m"}}), 6.0);
}

TEST(HealthTable, NothingBeforeTheFirstReport) {
  HealthTable health;
  FamilySet set;
  health.append_to(set);
  EXPECT_EQ(set.series_count(), 0u);
}

TEST(HealthTable, KeysMissingFromAReportAreNotInvented) {
  HealthTable health;
  meterd::v1::Diagnostic d;
  d.set_code("counters");
  d.set_source("sink.mqtt");
  (*d.mutable_counters())["out"] = 5;
  health.update(d);
  FamilySet set;
  health.append_to(set);
  const auto page = meterd::test::parse_exposition(set.render());
  EXPECT_EQ(page.samples("meterd_plugin_items_total").size(), 1u);
  EXPECT_EQ(page.value("meterd_plugin_items_total", {{"direction", "out"}}), 5.0);
  EXPECT_FALSE(page.family("meterd_sink_queue_depth"));
}

namespace {
constexpr std::int64_t kHour = 3'600'000;

meterd::v1::Reading price_at(const std::string& meter, std::int64_t start_ms, double per_unit, const std::string& unit) {
  meterd::v1::Reading r;
  r.set_meter_id(meter);
  r.set_meter_time_ms(start_ms);
  r.set_received_ms(1);
  auto* value = r.add_values();
  value->set_quantity("price");
  value->set_number(per_unit);
  value->set_unit(unit);
  return r;
}

meterd::test::Exposition render(PriceTable& table, std::int64_t now_ms) {
  FamilySet set;
  table.append_to(set, now_ms);
  return meterd::test::parse_exposition(set.render());
}
}  // namespace

// Hourly day-ahead prices for 36 h arrive at once, in order: each hour shows its own price,
// never the last one received.
TEST(PriceTable, EachHourShowsItsOwnPriceNotTheNewestReceived) {
  PriceTable table(kHour);
  const std::int64_t t0 = 1'790'000'000'000 - 1'790'000'000'000 % kHour;
  for (int h = 0; h < 36; ++h) EXPECT_TRUE(table.update(price_at("spot", t0 + h * kHour, 0.10 + h * 0.01, "EUR/kWh")));
  EXPECT_FALSE(render(table, t0 - 1).family("meterd_energy_price_per_kwh"));  // none started yet
  for (int h : {0, 5, 35}) {
    const auto page = render(table, t0 + h * kHour + 30 * 60'000);
    EXPECT_NEAR(*page.value("meterd_energy_price_per_kwh", {{"meter", "spot"}, {"currency", "EUR"}}), 0.10 + h * 0.01, 1e-12);
  }
  // The last price holds for its hour only; then the feed has nothing valid and is left out.
  EXPECT_FALSE(render(table, t0 + 36 * kHour).family("meterd_energy_price_per_kwh"));
}

TEST(PriceTable, PerMwhBecomesPerKwhAndACorrectionReplacesThePrice) {
  PriceTable table(kHour);
  const std::int64_t t0 = 1'790'000'000'000 - 1'790'000'000'000 % kHour;
  table.update(price_at("spot", t0, 95.5, "EUR/MWh"));
  EXPECT_NEAR(*render(table, t0).value("meterd_energy_price_per_kwh", {{"currency", "EUR"}}), 0.0955, 1e-12);
  table.update(price_at("spot", t0, 101.0, "EUR/MWh"));  // the same interval sent again, corrected
  EXPECT_NEAR(*render(table, t0 + 1).value("meterd_energy_price_per_kwh", {{"currency", "EUR"}}), 0.101, 1e-12);
  // A meter value is no price.
  EXPECT_FALSE(table.update(reading("m", "1-0:1.7.0", "active_power_import", 500, "W")));
}

TEST(PriceTable, AtMostMaxPricesAreKeptDroppingTheOldest) {
  PriceTable table(kHour);
  const std::int64_t t0 = 1'790'000'000'000 - 1'790'000'000'000 % kHour;
  for (std::size_t i = 0; i < PriceTable::kMaxPrices + 10; ++i)
    table.update(price_at("spot", t0 + static_cast<std::int64_t>(i) * 900'000, static_cast<double>(i) / 1000, "CHF/kWh"));
  EXPECT_FALSE(render(table, t0).family("meterd_energy_price_per_kwh"));  // the first ten are gone
  EXPECT_NEAR(*render(table, t0 + 10 * 900'000).value("meterd_energy_price_per_kwh", {}), 0.010, 1e-12);
}
