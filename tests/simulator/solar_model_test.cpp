// The sun's path and the PV production that follows it: elevation at the solstices against
// the geometry (highest at 90° - |latitude - declination|, when the sun crosses the meridian),
// nothing at night, the peak around solar noon, more in summer than in winter, cloudy days.
#include <gtest/gtest.h>

#include <cmath>

#include "meterd/time_zone.hpp"
#include "solar_model.hpp"

using namespace meterd::simulator;

namespace {

std::int64_t utc(int y, int mo, int d, int h = 0, int mi = 0) { return meterd::civil_to_seconds({y, mo, d, h, mi, 0}); }

struct Highest {
  double elevation = -90;
  std::int64_t at = 0;
};

Highest highest_of_day(std::int64_t day_start, double lat, double lon) {
  Highest h;
  for (std::int64_t t = day_start; t < day_start + 86400; t += 30) {
    const double e = solar_elevation_deg(t, lat, lon);
    if (e > h.elevation) h = {e, t};
  }
  return h;
}

double day_energy_wh(const SolarModel& m, std::int64_t day_start) {
  double wh = 0;
  for (std::int64_t t = day_start; t < day_start + 86400; t += 300) wh += m.power_w(t) * 300 / 3600;
  return wh;
}

double clear_day_energy_wh(const SolarModel& m, std::int64_t day_start) {
  double wh = 0;
  for (std::int64_t t = day_start; t < day_start + 86400; t += 300) wh += m.clear_sky_w(t) * 300 / 3600;
  return wh;
}

constexpr double kZurichLat = 47.38, kZurichLon = 8.54;
constexpr double kObliquity = 23.44;

}  // namespace

TEST(SolarElevation, AtTheSolsticesTheSunCulminatesAtTheGeometricHeightAtSolarNoon) {
  // Solar noon in UTC: 12:00 less four minutes per degree east, less the equation of time
  // (about -1.7 min on 21 June, +2.0 min on 21 December).
  const auto noon = [](double lon, double equation_min) { return 12 * 3600 - lon * 240 - equation_min * 60; };
  const struct {
    int month;
    double lat, lon, declination, equation_min;
  } cases[] = {
      {6, kZurichLat, kZurichLon, kObliquity, -1.7},
      {12, kZurichLat, kZurichLon, -kObliquity, 2.0},
      {12, -33.87, 151.21, -kObliquity, 2.0},  // Sydney: summer in December, sun in the north
      {6, 64.15, -21.94, kObliquity, -1.7},     // Reykjavik: west of Greenwich
  };
  for (const auto& c : cases) {
    const auto day = utc(2024, c.month, 21);
    const auto h = highest_of_day(day, c.lat, c.lon);
    EXPECT_NEAR(h.elevation, 90 - std::abs(c.lat - c.declination), 0.15) << c.lat;
    // Sydney's noon falls on the UTC day before; compare the time of day.
    const double expected = std::fmod(noon(c.lon, c.equation_min) + 86400, 86400);
    EXPECT_NEAR(static_cast<double>((h.at - day) % 86400), expected, 180) << c.lat;
  }
  // Midnight in Zurich: well below the horizon.
  EXPECT_LT(solar_elevation_deg(utc(2024, 6, 21, 23), kZurichLat, kZurichLon), -15);
}

TEST(SolarModel, NothingAtNightAndProductionWheneverTheSunIsUpOnAClearDay) {
  const SolarModel pv({kZurichLat, kZurichLon, 8, 1});
  for (std::int64_t t = utc(2024, 1, 1); t < utc(2025, 1, 1); t += 600) {
    const double e = solar_elevation_deg(t, kZurichLat, kZurichLon);
    const double p = pv.power_w(t);
    EXPECT_GE(p, 0);
    if (e <= 0) {
      ASSERT_EQ(p, 0) << t;
    }
    if (e > 5) {
      ASSERT_GT(p, 0) << t;
    }
    // Never above what the modules are rated for.
    ASSERT_LE(p, 8000) << t;
  }
}

TEST(SolarModel, ProductionPeaksAroundSolarNoonNearTheRatingOnClearSummerDays) {
  const SolarModel pv({kZurichLat, kZurichLon, 8, 1});
  int clear_days = 0;
  for (int d = 1; d <= 30; ++d) {
    const auto day = utc(2024, 6, d);
    // A clear day: the weather lets nearly everything through all day.
    bool clear = true;
    for (std::int64_t t = day + 5 * 3600; t < day + 18 * 3600; t += 600) clear = clear && pv.weather_factor(t) >= 0.9;
    if (!clear) continue;
    ++clear_days;
    double best = 0;
    std::int64_t best_at = 0;
    for (std::int64_t t = day; t < day + 86400; t += 60) {
      if (pv.power_w(t) > best) {
        best = pv.power_w(t);
        best_at = t;
      }
    }
    const auto sun = highest_of_day(day, kZurichLat, kZurichLon);
    EXPECT_LE(std::abs(best_at - sun.at), 5 * 60) << d;
    // 8 kWp on a roof in Zurich at the solstice: 6 to 7 kW at noon.
    EXPECT_GT(best, 0.7 * 8000) << d;
    EXPECT_LT(best, 0.9 * 8000) << d;
  }
  EXPECT_GE(clear_days, 3);
}

TEST(SolarModel, SummerGivesSeveralTimesWinterAndTheWeatherMakesCloudyDays) {
  for (const std::uint64_t seed : {1u, 2u, 7u}) {
    const SolarModel pv({kZurichLat, kZurichLon, 8, seed});
    double june = 0, december = 0;
    int dull = 0, days = 0;
    for (int d = 1; d <= 30; ++d) june += day_energy_wh(pv, utc(2024, 6, d));
    for (int d = 1; d <= 30; ++d) december += day_energy_wh(pv, utc(2024, 12, d));
    EXPECT_GT(june, 3 * december) << seed;
    // An 8 kWp system in Switzerland makes roughly 1,000 kWh in June and 150 kWh in December.
    EXPECT_GT(june, 700'000) << seed;
    EXPECT_LT(june, 1'400'000) << seed;
    for (std::int64_t day = utc(2024, 1, 1); day < utc(2025, 1, 1); day += 86400, ++days)
      if (day_energy_wh(pv, day) < 0.4 * clear_day_energy_wh(pv, day)) ++dull;
    EXPECT_GT(dull, days / 6) << seed;
    EXPECT_LT(dull, days / 2) << seed;
  }
  // The same seed, the same weather; another seed, other weather.
  const SolarModel a({kZurichLat, kZurichLon, 8, 1}), b({kZurichLat, kZurichLon, 8, 1}), c({kZurichLat, kZurichLon, 8, 2});
  int differ = 0;
  for (int d = 1; d <= 30; ++d) {
    const auto day = utc(2024, 5, d);
    EXPECT_EQ(day_energy_wh(a, day), day_energy_wh(b, day));
    if (std::abs(day_energy_wh(a, day) - day_energy_wh(c, day)) > 1000) ++differ;
  }
  EXPECT_GT(differ, 5);
}

TEST(SolarModel, ThePeakPowerScalesWithTheRating) {
  const SolarModel small({kZurichLat, kZurichLon, 4, 3}), large({kZurichLat, kZurichLon, 12, 3});
  for (std::int64_t t = utc(2024, 4, 10); t < utc(2024, 4, 11); t += 900) EXPECT_DOUBLE_EQ(large.power_w(t), 3 * small.power_w(t));
}
