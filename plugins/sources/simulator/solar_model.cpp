#include "solar_model.hpp"

#include <algorithm>
#include <cmath>

#include "seeded_noise.hpp"

namespace meterd::simulator {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kRad = kPi / 180;
constexpr std::int64_t kJ2000 = 946'728'000;  // 2000-01-01T12:00:00Z
constexpr double kSolarConstant = 1361;        // W/m² above the atmosphere
// Inverter, wiring, soiling and the modules' warming: what reaches the meter of the rated kWp
// under 1000 W/m².
constexpr double kPerformanceRatio = 0.85;

double floor_div(double a, double b) { return std::floor(a / b); }

}  // namespace

double solar_elevation_deg(std::int64_t utc, double latitude_deg, double longitude_deg) {
  const double n = static_cast<double>(utc - kJ2000) / 86400.0;  // days from J2000
  const double mean_longitude = std::fmod(280.460 + 0.9856474 * n, 360.0);
  const double anomaly = std::fmod(357.528 + 0.9856003 * n, 360.0) * kRad;
  const double ecliptic = (mean_longitude + 1.915 * std::sin(anomaly) + 0.020 * std::sin(2 * anomaly)) * kRad;
  const double obliquity = (23.439 - 0.0000004 * n) * kRad;
  const double right_ascension = std::atan2(std::cos(obliquity) * std::sin(ecliptic), std::cos(ecliptic));
  const double declination = std::asin(std::sin(obliquity) * std::sin(ecliptic));
  const double sidereal_deg = std::fmod(280.46061837 + 360.98564736629 * n, 360.0) + longitude_deg;
  const double hour_angle = sidereal_deg * kRad - right_ascension;
  const double lat = latitude_deg * kRad;
  const double s = std::sin(lat) * std::sin(declination) + std::cos(lat) * std::cos(declination) * std::cos(hour_angle);
  return std::asin(std::clamp(s, -1.0, 1.0)) / kRad;
}

SolarModel::SolarModel(PvOptions options) : options_(options) {}

double SolarModel::clear_sky_w(std::int64_t utc) const {
  const double elevation = solar_elevation_deg(utc, options_.latitude_deg, options_.longitude_deg);
  if (elevation <= 0) return 0;
  // Air mass (Kasten and Young 1989), direct beam through it (Meinel), a tenth more as
  // diffuse light, on modules lying with the roof (taken as horizontal).
  const double air_mass = 1 / (std::sin(elevation * kRad) + 0.50572 * std::pow(elevation + 6.07995, -1.6364));
  const double beam = kSolarConstant * std::pow(0.7, std::pow(air_mass, 0.678));
  const double irradiance = 1.1 * beam * std::sin(elevation * kRad);
  return options_.peak_kw * irradiance * kPerformanceRatio;  // kWp × W/m² / (1000 W/m²) × 1000 W/kW
}

double SolarModel::weather_factor(std::int64_t utc) const {
  // Days change at local midnight of the sun (longitude), never around noon.
  const double solar_seconds = static_cast<double>(utc) + options_.longitude_deg / 15 * 3600;
  const auto day = static_cast<std::int64_t>(floor_div(solar_seconds, 86400));
  const auto slot = static_cast<std::int64_t>(floor_div(solar_seconds, 600));  // ten minutes
  const double day_of_year = std::fmod(static_cast<double>(day) + 365.25 * 1000, 365.25);
  const std::uint64_t seed = options_.weather_seed;
  // Overcast more often in winter (north of the equator; the seasons turn in the south).
  const double winter = std::cos(2 * kPi * (day_of_year - 15) / 365.25) * (options_.latitude_deg >= 0 ? 1 : -1);
  const double overcast_chance = 0.3 + 0.15 * winter;
  const double kind = seeded_noise(seed, day, 1);
  const double strength = seeded_noise(seed, day, 2);
  if (kind < overcast_chance) return 0.12 + 0.2 * strength;  // diffuse light only
  if (kind < overcast_chance + 0.3) {
    // Passing clouds: some ten-minute spells under a cloud.
    const double base = 0.6 + 0.35 * strength;
    return seeded_noise(seed, slot, 3) < 0.35 ? base * (0.25 + 0.35 * seeded_noise(seed, slot, 4)) : base;
  }
  return 0.92 + 0.08 * strength;
}

double SolarModel::power_w(std::int64_t utc) const {
  const double clear = clear_sky_w(utc);
  return clear > 0 ? clear * weather_factor(utc) : 0;
}

}  // namespace meterd::simulator
