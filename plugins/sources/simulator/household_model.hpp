#pragma once
// Deterministic load shapes for simulated meters. Power at a given time depends only on the
// profile, the seed and the time, so a year of history can be generated in any order and a
// run is reproducible.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "solar_model.hpp"

namespace meterd::simulator {

// house and heat_pump draw power; pv is a PV system's production meter; house_pv the grid meter
// of a house with PV on its roof, importing what the house needs beyond the sun and exporting
// the surplus.
enum class Profile { house, heat_pump, pv, house_pv };
Profile parse_profile(const std::string& name);  // throws std::invalid_argument
const char* profile_name(Profile p);

struct PhaseState {
  double power_w = 0;  // active power on the phase: drawn from the grid (+) or fed into it (-)
  double voltage_v = 230;
  double current_a = 0;
  double power_factor = 1;
};

struct Instant {
  std::array<PhaseState, 3> phases;
  double consumption_w = 0;  // the household's load behind the meter
  double production_w = 0;   // PV production behind the meter
  // Net over the phases, as the meter's registers count it: consumption - production.
  double total_power_w() const { return phases[0].power_w + phases[1].power_w + phases[2].power_w; }
  double import_w() const { return std::max(0.0, total_power_w()); }
  double export_w() const { return std::max(0.0, -total_power_w()); }
};

// Whether a profile has production behind its meter (and so export registers that move).
bool has_production(Profile p);

class HouseholdModel {
 public:
  // `pv`: the PV system of the pv and house_pv profiles.
  HouseholdModel(Profile profile, std::uint64_t seed, PvOptions pv = {});
  // `utc_seconds` is the instant; `local_seconds` the same instant on the local wall clock,
  // which drives the daily and weekly rhythm.
  Instant at(std::int64_t utc_seconds, std::int64_t local_seconds) const;

 private:
  std::array<double, 3> house_power(std::int64_t local) const;
  std::array<double, 3> heat_pump_power(std::int64_t local) const;
  double noise(std::int64_t slot, std::uint64_t channel) const;  // uniform in [0, 1)
  PhaseState electrical(double power_w, std::int64_t utc, double hour, int phase) const;

  Profile profile_;
  std::uint64_t seed_;
  std::optional<SolarModel> solar_;
};

}  // namespace meterd::simulator
