#pragma once
// Time-of-use prices: a Swiss-style high-tariff (HT) schedule given as text, e.g.
// "Mon-Fri 07-20, Sat 07-13" (local wall-clock hours, end exclusive), with an HT and an NT
// price; or one single price when no schedule is configured.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace meterd {
class TimeZone;
}

namespace meterd::dashboard {

class TariffSchedule {
 public:
  // Throws std::invalid_argument with the offending part when the text does not parse.
  static TariffSchedule parse(std::string_view text);
  bool empty() const;
  // "HT" when the local hour starting at `utc_ms` lies in the schedule, else "NT".
  bool is_high(std::int64_t utc_ms, const TimeZone& zone) const;
  // The schedule as configured, for showing it back; empty when no hour is HT.
  const std::string& text() const { return text_; }

 private:
  std::array<std::array<bool, 24>, 7> high_{};  // [weekday Mon=0][hour]
  std::string text_;
};

struct Prices {
  TariffSchedule schedule;
  double single = 0;  // per kWh, used when the schedule is empty
  double high = 0;    // HT per kWh
  double low = 0;     // NT per kWh
  std::string currency = "CHF";
  double price_at(std::int64_t utc_ms, const TimeZone& zone) const {
    if (schedule.empty()) return single;
    return schedule.is_high(utc_ms, zone) ? high : low;
  }
};

}  // namespace meterd::dashboard
