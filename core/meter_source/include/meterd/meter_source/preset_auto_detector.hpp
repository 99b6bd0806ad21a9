#pragma once
// The `serial = auto` logic: listen on each preset for a window, lock onto the first one under
// which the decoder counts a frame that passes its checksums (HDLC HCS+FCS, the M-Bus checksum,
// the P1 CRC-16 or the SML CRC, practically impossible to hit by chance at a wrong rate or
// parity), and start
// searching again if a locked line keeps delivering bytes but no valid frame for several
// windows (the grid operator changed the rate).
#include <chrono>
#include <cstdint>
#include <vector>

#include "meterd/transport/serial_settings.hpp"

namespace meterd::meter_source {

class PresetAutoDetector {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Verdict { keep, locked, switch_preset, lost_lock };

  // Throws std::invalid_argument when `candidates` is empty.
  PresetAutoDetector(std::vector<transport::SerialSettings> candidates, Clock::duration window,
                     unsigned windows_before_relock = 4);

  const transport::SerialSettings& current() const { return candidates_[index_]; }
  bool is_locked() const { return locked_; }
  std::size_t trials() const { return trials_; }

  // A trial starts: the port was opened or reconfigured to current(). `frames_ok` is the
  // decoder's counter at this moment (counters only grow, so progress is the difference).
  void begin_trial(Clock::time_point now, std::uint64_t frames_ok);
  // Called regularly with the decoder's counter and whether bytes arrived since the last call.
  // `switch_preset`: current() changed, reconfigure the port and call begin_trial.
  Verdict observe(Clock::time_point now, std::uint64_t frames_ok, bool bytes_arrived);

 private:
  std::vector<transport::SerialSettings> candidates_;
  Clock::duration window_;
  unsigned windows_before_relock_;
  std::size_t index_ = 0;
  std::size_t trials_ = 0;
  bool locked_ = false;
  Clock::time_point trial_start_{};
  std::uint64_t frames_at_start_ = 0;
  Clock::time_point last_valid_{};
  bool bytes_since_valid_ = false;
};

}  // namespace meterd::meter_source
