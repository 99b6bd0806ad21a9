#pragma once
// Time-of-use bands: any number of named bands, each a set of local weekday hours, e.g.
// "peak: Mon-Fri 17-21; day: Mon-Fri 07-17, Sat 07-13; night: rest". Every hour of the week
// lies in exactly one band; a holiday takes the hours of its configured weekday (holidays.hpp).
// The Swiss HT/NT pair is the two-band case "ht: <ht_schedule>; nt: rest".
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "holidays.hpp"
#include "tariff_schedule.hpp"

namespace meterd::dashboard {

class BandSchedule {
 public:
  // Throws std::invalid_argument naming option 'bands' and the offending part.
  static BandSchedule parse(std::string_view text);
  // "ht" for the schedule's hours, "nt" for the rest.
  static BandSchedule high_low(const TariffSchedule& ht);
  bool empty() const { return names_.empty(); }
  const std::vector<std::string>& names() const { return names_; }
  // A band's hours as configured ("Mon-Fri 17-21" or "rest"), for showing them back.
  const std::string& hours(std::size_t band) const { return hours_[band]; }
  std::size_t band_at(const LocalSlot& slot) const {
    return band_[static_cast<std::size_t>(slot.weekday)][static_cast<std::size_t>(slot.hour)];
  }
  // How many of the week's 168 hours lie in the band.
  int hours_per_week(std::size_t band) const;
  const std::string& text() const { return text_; }

 private:
  std::vector<std::string> names_;
  std::vector<std::string> hours_;  // per band, as configured
  std::array<std::array<std::uint8_t, 24>, 7> band_{};  // [weekday Mon=0][hour] -> band index
  std::string text_;
};

}  // namespace meterd::dashboard
