#pragma once
// One simulated meter: the household model plus registers that rise exactly by the
// integrated power, as a real meter's do: the import register by the power drawn, the export
// register by the power fed in.
#include <cstdint>
#include <string>

#include "household_model.hpp"
#include "meterd/decoded_message.hpp"

namespace meterd::simulator {

class SimulatedMeter {
 public:
  SimulatedMeter(std::string meter_id, Profile profile, std::uint64_t seed, double start_energy_wh = 0, PvOptions pv = {});

  // Advances to `utc_seconds` (power held constant over each step, so the register delta
  // equals power × time exactly) and returns the push the meter would send then.
  DecodedMessage step(std::int64_t utc_seconds, std::int64_t local_seconds);

  // Continues the registers an earlier run left (before the first step).
  void resume(double import_wh, double export_wh = 0) {
    import_wh_ = import_wh;
    export_wh_ = export_wh;
  }

  const std::string& meter_id() const { return meter_id_; }
  Profile profile() const { return profile_; }
  // The registers before flooring (the pushes carry them floored to whole Wh).
  double energy_import_wh() const { return import_wh_; }
  double energy_export_wh() const { return export_wh_; }
  const Instant& last() const { return last_; }

 private:
  std::string meter_id_;
  Profile profile_;
  HouseholdModel model_;
  double import_wh_;
  double export_wh_ = 0;
  std::int64_t last_utc_ = INT64_MIN;
  Instant last_{};
};

}  // namespace meterd::simulator
