#include "meterd/energy_balance.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "meterd/meter_roles.hpp"

namespace {
using meterd::BalanceInputs;
using meterd::BalanceTotal;
using meterd::Measured;

Measured wh(double v, double coverage = 1) { return {v, coverage}; }

BalanceInputs grid_and_pv(double import_wh, double export_wh, double pv_wh) {
  BalanceInputs in;
  in.grid_import = wh(import_wh);
  in.grid_export = wh(export_wh);
  in.pv = {wh(pv_wh)};
  return in;
}
}  // namespace

TEST(MeterRoles, ParsesRolesAndKinds) {
  const auto roles = meterd::MeterRoles::parse(" G1=grid, P1=pv ,P2=pv, B=battery, HP=heat_pump, EV=ev, X=consumer,");
  ASSERT_EQ(roles.entries().size(), 7u);
  EXPECT_EQ(*roles.grid(), "G1");
  EXPECT_EQ(roles.of(meterd::MeterRole::pv), (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ(roles.of(meterd::MeterRole::consumer), (std::vector<std::string>{"HP", "EV", "X"}));
  EXPECT_EQ(roles.find("HP")->kind, "heat_pump");
  EXPECT_EQ(roles.find("nope"), nullptr);
  EXPECT_TRUE(meterd::MeterRoles::parse("").empty());
}

TEST(MeterRoles, RefusesBadEntriesSayingWhatToWrite) {
  const auto message = [](const char* text) {
    try {
      meterd::MeterRoles::parse(text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("G1=sun").find("use grid, pv, battery, heat_pump, ev or consumer"), std::string::npos);
  EXPECT_NE(message("G1").find("is not ID=role"), std::string::npos);
  EXPECT_NE(message("=pv").find("is not ID=role"), std::string::npos);
  EXPECT_NE(message("G1=grid, G1=pv").find("has a role twice"), std::string::npos);
  EXPECT_NE(message("G1=grid, G2=grid").find("both grid"), std::string::npos);
}

TEST(EnergyBalance, GridAndPvGiveEverything) {
  // 600 Wh produced, 250 Wh of it exported, 100 Wh imported: 450 Wh used in the house.
  const auto b = meterd::balance_interval(grid_and_pv(100, 250, 600));
  ASSERT_TRUE(b.complete);
  EXPECT_EQ(b.consumption_wh, 450);
  EXPECT_EQ(b.self_consumed_wh, 350);
  EXPECT_EQ(b.fed_in_wh, 250);
  BalanceTotal total(meterd::balance_scope(grid_and_pv(0, 0, 0)), 0);
  total.add(b, 900'000);
  EXPECT_DOUBLE_EQ(*total.self_sufficiency(), 350.0 / 450.0);
  EXPECT_DOUBLE_EQ(*total.self_consumption_rate(), 350.0 / 600.0);
  EXPECT_DOUBLE_EQ(total.coverage(900'000), 1.0);
}

TEST(EnergyBalance, OnlyAGridMeterKnowsImportAndExportOnly) {
  BalanceInputs in;
  in.grid_import = wh(300);
  in.grid_export = wh(120);
  const auto b = meterd::balance_interval(in);
  ASSERT_TRUE(b.complete);
  BalanceTotal total(meterd::balance_scope(in), 0);
  total.add(b, 900'000);
  EXPECT_EQ(*total.import_wh(), 300);
  EXPECT_EQ(*total.export_wh(), 120);
  EXPECT_FALSE(total.production_wh());
  EXPECT_FALSE(total.consumption_wh());
  EXPECT_FALSE(total.self_consumed_wh());
  EXPECT_FALSE(total.self_sufficiency());
  EXPECT_FALSE(total.self_consumption_rate());
}

TEST(EnergyBalance, MissingDataLowersCoverageInsteadOfInventingEnergy) {
  const auto scope = meterd::balance_scope(grid_and_pv(0, 0, 0));
  BalanceTotal total(scope, 0);
  total.add(meterd::balance_interval(grid_and_pv(100, 0, 200)), 900'000);
  auto no_pv = grid_and_pv(500, 0, 0);
  no_pv.pv = {Measured{}};  // the PV meter has no data in this interval
  const auto missing = meterd::balance_interval(no_pv);
  EXPECT_FALSE(missing.complete);
  total.add(missing, 900'000);
  auto partial = grid_and_pv(40, 10, 50);
  partial.grid_export->coverage = 0.5;
  total.add(meterd::balance_interval(partial), 900'000);
  EXPECT_DOUBLE_EQ(total.coverage(2'700'000), 1.5 / 3.0);
  EXPECT_EQ(*total.import_wh(), 140);  // not the 500 Wh of the interval without PV data
  EXPECT_EQ(*total.consumption_wh(), 300 + 80);
  BalanceTotal empty(scope, 0);
  empty.add(missing, 900'000);
  EXPECT_FALSE(empty.import_wh());
  EXPECT_FALSE(empty.self_sufficiency());
  EXPECT_EQ(empty.coverage(900'000), 0);
}

TEST(EnergyBalance, ExportBeyondProductionIsNotPvFedIn) {
  // A battery discharging 300 Wh, 100 Wh of it into the grid, while the PV makes 50 Wh.
  auto in = grid_and_pv(0, 100, 50);
  in.battery_charge = {wh(0)};
  in.battery_discharge = {wh(300)};
  const auto b = meterd::balance_interval(in);
  EXPECT_EQ(b.self_consumed_wh, 0);
  EXPECT_EQ(b.fed_in_wh, 50);
  EXPECT_EQ(b.consumption_wh, 250);
}

// A day of a battery household in four intervals (Wh):
//   noon:    PV 2000, house 500, battery charges 1200 from PV, 300 exported;
//   evening: house 800, battery gives 600, grid 200;
//   night:   the grid charges the battery with 1000 while the house uses 300 (cheap tariff);
//   morning: house 400, all from the battery.
// Own supply is consumption - import in every interval (negative at night) and sums to the day;
// self-sufficiency is own supply / consumption, not self-consumed PV / consumption, which would
// count the 1200 Wh stored at noon as if the house had used them.
TEST(EnergyBalance, BatteryHouseholdOwnSupplyIsConsumptionMinusImport) {
  struct Step {
    double import_wh, export_wh, pv_wh, charge_wh, discharge_wh, used_wh;
  };
  const Step day[] = {{0, 300, 2000, 1200, 0, 500}, {200, 0, 0, 0, 600, 800}, {1300, 0, 0, 1000, 0, 300}, {0, 0, 0, 0, 400, 400}};
  auto in = grid_and_pv(0, 0, 0);
  in.battery_charge = {wh(0)};
  in.battery_discharge = {wh(0)};
  BalanceTotal total(meterd::balance_scope(in), 0);
  const double own[] = {500, 600, -1000, 400};
  for (std::size_t i = 0; i < std::size(day); ++i) {
    const auto& s = day[i];
    auto step = grid_and_pv(s.import_wh, s.export_wh, s.pv_wh);
    step.battery_charge = {wh(s.charge_wh)};
    step.battery_discharge = {wh(s.discharge_wh)};
    const auto b = meterd::balance_interval(step);
    ASSERT_TRUE(b.complete);
    EXPECT_EQ(b.consumption_wh, s.used_wh) << i;
    EXPECT_EQ(b.own_supply_wh, own[i]) << i;
    EXPECT_EQ(b.consumption_wh, b.import_wh + b.own_supply_wh) << i;
    EXPECT_EQ(b.production_wh, b.self_consumed_wh + b.fed_in_wh) << i;
    total.add(b, 900'000);
  }
  EXPECT_EQ(*total.consumption_wh(), 2000);
  EXPECT_EQ(*total.import_wh(), 1500);
  EXPECT_EQ(*total.own_supply_wh(), 500);
  EXPECT_EQ(*total.self_consumed_wh(), 1700);
  EXPECT_DOUBLE_EQ(*total.self_sufficiency(), 500.0 / 2000.0);
  EXPECT_DOUBLE_EQ(*total.self_consumption_rate(), 1700.0 / 2000.0);
  // A period that is only the night's grid charging has no own supply to speak of: 0, not negative.
  BalanceTotal night(meterd::balance_scope(in), 0);
  auto charging = grid_and_pv(1300, 0, 0);
  charging.battery_charge = {wh(1000)};
  charging.battery_discharge = {wh(0)};
  night.add(meterd::balance_interval(charging), 900'000);
  EXPECT_EQ(*night.own_supply_wh(), -1000);
  EXPECT_EQ(*night.self_sufficiency(), 0);
}

TEST(EnergyBalance, WithoutABatteryOwnSupplyIsTheSelfConsumedPv) {
  const auto b = meterd::balance_interval(grid_and_pv(100, 250, 600));
  EXPECT_EQ(b.own_supply_wh, b.self_consumed_wh);
  BalanceTotal grid_only(meterd::balance_scope(BalanceInputs{wh(1), wh(0), {}, {}, {}, {}}), 0);
  grid_only.add(meterd::balance_interval(BalanceInputs{wh(300), wh(0), {}, {}, {}, {}}), 900'000);
  EXPECT_FALSE(grid_only.own_supply_wh());  // needs the production too
}

TEST(EnergyBalance, SubMeterShareOfConsumption) {
  auto in = grid_and_pv(400, 0, 600);
  in.consumers = {wh(250), Measured{}};
  BalanceTotal total(meterd::balance_scope(in), 2);
  total.add(meterd::balance_interval(in), 900'000);
  EXPECT_DOUBLE_EQ(*total.consumer_share(0), 0.25);
  EXPECT_EQ(*total.consumer_wh(0), 250);
  EXPECT_FALSE(total.consumer_wh(1));
  EXPECT_FALSE(total.consumer_share(1));
}

// For random households, interval by interval from whole-Wh register deltas: what the meters
// see is derived from a known truth, and the balance must give that truth back to the Wh,
// per interval and for the sum of a day's 96 intervals.
TEST(EnergyBalance, IdentitiesHoldPerIntervalAndInSumsToTheWh) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> house(50, 1500), sun(0, 2500);
    const auto scope = meterd::balance_scope(grid_and_pv(0, 0, 0));
    BalanceTotal day(scope, 0);
    long truth_consumption = 0, truth_export = 0, truth_production = 0;
    for (int i = 0; i < 96; ++i) {
      const int used = house(rng), made = i < 28 || i > 80 ? 0 : sun(rng);
      const int direct = std::min(used, made);
      const int imported = used - direct, exported = made - direct;
      const auto b = meterd::balance_interval(grid_and_pv(imported, exported, made));
      ASSERT_TRUE(b.complete) << "seed " << seed;
      EXPECT_EQ(b.production_wh, b.self_consumed_wh + b.fed_in_wh) << "seed " << seed << " interval " << i;
      EXPECT_EQ(b.consumption_wh, b.import_wh - b.export_wh + b.production_wh) << "seed " << seed << " interval " << i;
      EXPECT_EQ(b.consumption_wh, used) << "seed " << seed << " interval " << i;
      EXPECT_EQ(b.self_consumed_wh, direct) << "seed " << seed << " interval " << i;
      day.add(b, 900'000);
      truth_consumption += used;
      truth_export += exported;
      truth_production += made;
    }
    EXPECT_EQ(*day.consumption_wh(), truth_consumption) << "seed " << seed;
    EXPECT_EQ(*day.fed_in_wh(), truth_export) << "seed " << seed;
    EXPECT_EQ(*day.production_wh(), *day.self_consumed_wh() + *day.fed_in_wh()) << "seed " << seed;
    EXPECT_EQ(*day.consumption_wh(), *day.import_wh() - *day.export_wh() + *day.production_wh()) << "seed " << seed;
    EXPECT_NEAR(*day.self_sufficiency(), 1.0 - *day.import_wh() / *day.consumption_wh(), 1e-12) << "seed " << seed;
  }
}

TEST(EnergyBalance, PowersGiveTheLiveFlows) {
  // 3.2 kW from the roof, 1.1 kW going out: the house uses 2.1 kW, all of it from the roof.
  const auto b = meterd::balance_interval(grid_and_pv(0, 1100, 3200));
  EXPECT_EQ(b.consumption_wh, 2100);
  EXPECT_EQ(b.self_consumed_wh, 2100);
}
