#pragma once
// Deterministic load shapes for simulated meters. Power at a given time depends only on the
// profile, the seed and the time, so a year of history can be generated in any order and a
// run is reproducible.
#include <array>
#include <cstdint>
#include <string>

namespace meterd::simulator {

enum class Profile { house, heat_pump };
Profile parse_profile(const std::string& name);  // throws std::invalid_argument
const char* profile_name(Profile p);

struct PhaseState {
  double power_w = 0;  // active power drawn on the phase
  double voltage_v = 230;
  double current_a = 0;
  double power_factor = 1;
};

struct Instant {
  std::array<PhaseState, 3> phases;
  double total_power_w() const { return phases[0].power_w + phases[1].power_w + phases[2].power_w; }
};

class HouseholdModel {
 public:
  HouseholdModel(Profile profile, std::uint64_t seed);
  // `utc_seconds` is the instant; `local_seconds` the same instant on the local wall clock,
  // which drives the daily and weekly rhythm.
  Instant at(std::int64_t utc_seconds, std::int64_t local_seconds) const;

 private:
  std::array<double, 3> house_power(std::int64_t local) const;
  std::array<double, 3> heat_pump_power(std::int64_t local) const;
  double noise(std::int64_t slot, std::uint64_t channel) const;  // uniform in [0, 1)

  Profile profile_;
  std::uint64_t seed_;
};

}  // namespace meterd::simulator
