// A house with PV behind its grid meter (house_pv) and the PV system's own production meter
// (pv), stepped together as the simulator does: registers that only rise, import at night,
// export on a sunny noon, and per step the balance the dashboard relies on,
// consumption = import - export + production, to the Wh of the registers.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "meterd/time_zone.hpp"
#include "simulated_meter.hpp"

using namespace meterd::simulator;

namespace {

std::map<std::string, double> values_of(const meterd::DecodedMessage& m) {
  std::map<std::string, double> out;
  for (const auto& v : m.values)
    if (const auto* n = std::get_if<double>(&v.value)) out[v.obis] = *n;
  return out;
}

}  // namespace

TEST(HousePv, RegistersRiseAndConsumptionIsImportMinusExportPlusProductionAtEveryStep) {
  const PvOptions site{47.38, 8.54, 8, 5};
  // Same seed for the house load as the plain house profile: the same household.
  SimulatedMeter grid("grid", Profile::house_pv, 11, 1'000'000, site);
  SimulatedMeter pv("pv", Profile::pv, 12, 0, site);
  const HouseholdModel house(Profile::house, 11);
  const auto zone = meterd::TimeZone::load("Europe/Zurich");
  std::int64_t t = meterd::civil_to_seconds({2024, 5, 1, 0, 0, 0});
  const std::int64_t end = t + 14 * 86400;
  auto start_grid = values_of(grid.step(t, zone->utc_to_local(t)));
  auto start_pv = values_of(pv.step(t, zone->utc_to_local(t)));
  auto prev_grid = start_grid, prev_pv = start_pv;
  double consumed_wh = 0;
  double last_consumption_w = house.at(t, zone->utc_to_local(t)).total_power_w();
  double exported_peak_w = 0, imported_at_night_w = 0;
  for (t += 60; t <= end; t += 60) {
    const double before_import = grid.energy_import_wh(), before_export = grid.energy_export_wh(),
                 before_production = pv.energy_export_wh();
    const auto g = values_of(grid.step(t, zone->utc_to_local(t)));
    const auto p = values_of(pv.step(t, zone->utc_to_local(t)));
    // The step's exact energies: what the house drew over the minute, from the house profile.
    const double step_wh = last_consumption_w * 60 / 3600;
    consumed_wh += step_wh;
    ASSERT_NEAR((grid.energy_import_wh() - before_import) - (grid.energy_export_wh() - before_export) +
                    (pv.energy_export_wh() - before_production),
                step_wh, 1e-6)
        << t;
    // The registers as pushed, floored to whole Wh: never down, and the balance to the Wh.
    for (const char* r : {"1-0:1.8.0", "1-0:2.8.0"}) {
      ASSERT_GE(g.at(r), prev_grid.at(r)) << r << " " << t;
      ASSERT_GE(p.at(r), prev_pv.at(r)) << r << " " << t;
      ASSERT_EQ(g.at(r), std::floor(g.at(r)));
    }
    const double balance = (g.at("1-0:1.8.0") - start_grid.at("1-0:1.8.0")) - (g.at("1-0:2.8.0") - start_grid.at("1-0:2.8.0")) +
                           (p.at("1-0:2.8.0") - start_pv.at("1-0:2.8.0"));
    ASSERT_LT(std::abs(balance - consumed_wh), 2.0) << t;
    // The production meter draws nothing; the grid meter's power is one direction at a time.
    ASSERT_EQ(p.at("1-0:1.8.0"), 0);
    ASSERT_EQ(p.at("1-0:1.7.0"), 0);
    ASSERT_TRUE(g.at("1-0:1.7.0") == 0 || g.at("1-0:2.7.0") == 0) << t;
    // Powers agree with the models: production on the pv meter, net on the grid meter.
    const auto now = house.at(t, zone->utc_to_local(t));
    const double net = now.total_power_w() - grid.last().production_w;
    ASSERT_NEAR(g.at("1-0:1.7.0") - g.at("1-0:2.7.0"), net, 1.0) << t;
    ASSERT_NEAR(p.at("1-0:2.7.0"), pv.last().production_w, 0.5) << t;
    ASSERT_DOUBLE_EQ(grid.last().production_w, pv.last().production_w);
    ASSERT_DOUBLE_EQ(grid.last().consumption_w, now.total_power_w());
    exported_peak_w = std::max(exported_peak_w, g.at("1-0:2.7.0"));
    if (grid.last().production_w == 0) imported_at_night_w = std::max(imported_at_night_w, g.at("1-0:1.7.0"));
    last_consumption_w = now.total_power_w();
    prev_grid = g;
    prev_pv = p;
  }
  // Two weeks of May: surplus fed in around noon, the house supplied from the grid at night.
  EXPECT_GT(exported_peak_w, 3000);
  EXPECT_GT(imported_at_night_w, 100);
  EXPECT_GT(grid.energy_export_wh(), 50'000);
  EXPECT_GT(grid.energy_import_wh() - 1'000'000, 20'000);
}

TEST(HousePv, PlainProfilesKeepTheirExportRegistersAtZeroAndNoExportPerPhase) {
  SimulatedMeter house("h", Profile::house, 1);
  for (std::int64_t t = 1'714'521'600; t < 1'714'521'600 + 86400; t += 300) {
    const auto v = values_of(house.step(t, t + 7200));
    ASSERT_EQ(v.at("1-0:2.8.0"), 0);
    ASSERT_EQ(v.at("1-0:2.7.0"), 0);
    ASSERT_EQ(v.count("1-0:22.7.0"), 0u);
  }
  SimulatedMeter pv("p", Profile::pv, 1);
  const auto sunny = values_of(pv.step(1'719'489'600 + 11 * 3600, 0));  // 27 June 2024, 11:00 UTC
  EXPECT_EQ(sunny.count("1-0:22.7.0"), 1u);
  EXPECT_NEAR(sunny.at("1-0:22.7.0") + sunny.at("1-0:42.7.0") + sunny.at("1-0:62.7.0"), sunny.at("1-0:2.7.0"), 2);
}

TEST(HousePv, ProfileNamesParseAndAnUnknownOneSaysWhichExist) {
  EXPECT_EQ(parse_profile("pv"), Profile::pv);
  EXPECT_EQ(parse_profile("house_pv"), Profile::house_pv);
  EXPECT_STREQ(profile_name(Profile::house_pv), "house_pv");
  try {
    parse_profile("solar");
    ADD_FAILURE();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("house_pv"), std::string::npos);
  }
}
