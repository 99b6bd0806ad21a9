#include "meterd/meter_source/preset_auto_detector.hpp"

#include <stdexcept>

namespace meterd::meter_source {

PresetAutoDetector::PresetAutoDetector(std::vector<transport::SerialSettings> candidates, Clock::duration window,
                                       unsigned windows_before_relock)
    : candidates_(std::move(candidates)), window_(window), windows_before_relock_(windows_before_relock) {
  if (candidates_.empty()) throw std::invalid_argument("auto preset detection needs at least one preset");
}

void PresetAutoDetector::begin_trial(Clock::time_point now, std::uint64_t frames_ok) {
  trial_start_ = now;
  frames_at_start_ = frames_ok;
  last_valid_ = now;
  bytes_since_valid_ = false;
  if (!locked_) ++trials_;
}

PresetAutoDetector::Verdict PresetAutoDetector::observe(Clock::time_point now, std::uint64_t frames_ok,
                                                        bool bytes_arrived) {
  const bool progress = frames_ok > frames_at_start_;
  frames_at_start_ = frames_ok;
  if (locked_) {
    if (progress) {
      last_valid_ = now;
      bytes_since_valid_ = false;
      return Verdict::keep;
    }
    bytes_since_valid_ = bytes_since_valid_ || bytes_arrived;
    // Silence alone is not a reason to unlock (meter off, cable out): only bytes that never
    // form a valid frame are.
    if (bytes_since_valid_ && now - last_valid_ >= window_ * windows_before_relock_) {
      locked_ = false;
      index_ = (index_ + 1) % candidates_.size();
      return Verdict::lost_lock;
    }
    return Verdict::keep;
  }
  if (progress) {
    locked_ = true;
    last_valid_ = now;
    return Verdict::locked;
  }
  if (now - trial_start_ >= window_ && candidates_.size() > 1) {
    index_ = (index_ + 1) % candidates_.size();
    return Verdict::switch_preset;
  }
  return Verdict::keep;
}

}  // namespace meterd::meter_source
