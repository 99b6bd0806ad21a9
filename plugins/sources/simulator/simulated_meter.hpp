#pragma once
// One simulated meter: the household model plus registers that rise exactly by the
// integrated power, as a real meter's do.
#include <cstdint>
#include <string>

#include "household_model.hpp"
#include "meterd/decoded_message.hpp"

namespace meterd::simulator {

class SimulatedMeter {
 public:
  SimulatedMeter(std::string meter_id, Profile profile, std::uint64_t seed, double start_energy_wh = 0);

  // Advances to `utc_seconds` (power held constant over each step, so the register delta
  // equals power × time exactly) and returns the push the meter would send then.
  DecodedMessage step(std::int64_t utc_seconds, std::int64_t local_seconds);

  // Continues a register an earlier run left at `energy_wh` (before the first step).
  void resume(double energy_wh) { energy_wh_ = energy_wh; }

  const std::string& meter_id() const { return meter_id_; }
  Profile profile() const { return profile_; }
  double energy_import_wh() const { return energy_wh_; }
  const Instant& last() const { return last_; }

 private:
  std::string meter_id_;
  Profile profile_;
  HouseholdModel model_;
  double energy_wh_;
  std::int64_t last_utc_ = INT64_MIN;
  Instant last_{};
};

}  // namespace meterd::simulator
