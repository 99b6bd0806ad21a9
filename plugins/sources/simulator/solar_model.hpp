#pragma once
// The production of a PV system at any instant: the sun's elevation from the date, the time and
// the place, a clear-sky irradiance through the air mass it crosses, and each day's weather
// (clear, passing clouds or overcast) from a seeded sequence. Depends only on its options and
// the instant, so a PV meter and a house's grid meter with the same options see the same sun.
#include <cstdint>

namespace meterd::simulator {

struct PvOptions {
  double latitude_deg = 47.38;  // Zurich
  double longitude_deg = 8.54;
  double peak_kw = 8;             // the modules' rating (kWp)
  std::uint64_t weather_seed = 1;  // the sequence of cloudy and clear days
};

// Degrees of the sun above the horizon (negative below it) at `utc_seconds`, by the
// low-precision solar coordinates of the Astronomical Almanac (good to about 0.01 degrees
// between 1950 and 2050).
double solar_elevation_deg(std::int64_t utc_seconds, double latitude_deg, double longitude_deg);

class SolarModel {
 public:
  explicit SolarModel(PvOptions options);
  // AC power fed by the inverter; 0 at night.
  double power_w(std::int64_t utc_seconds) const;
  // The share of the clear-sky output the weather lets through, 0..1.
  double weather_factor(std::int64_t utc_seconds) const;
  // What a cloudless sky would give.
  double clear_sky_w(std::int64_t utc_seconds) const;
  const PvOptions& options() const { return options_; }

 private:
  PvOptions options_;
};

}  // namespace meterd::simulator
