#pragma once
// What energy costs: prices per kWh that change on given local dates (Swiss tariffs change
// every 1 January), each a single price or an HT/NT pair used with the tariff schedule, and
// an optional fixed fee per month charged per day.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tariff_schedule.hpp"

namespace meterd::dashboard {

// Prices that apply from a local date on, until the next set's date.
struct PriceSet {
  std::string from_date;     // as configured, e.g. "2025-01-01"; empty: always
  std::int64_t from_ms = 0;  // that date's local midnight
  double single = 0, high = 0, low = 0;
};

// What one bucket within an hour costs and how it splits into HT and NT.
struct Charge {
  double cost = 0, high_wh = 0, low_wh = 0, high_cost = 0, low_cost = 0;
};

struct Prices {
  TariffSchedule schedule;
  double single = 0;  // per kWh, used when the schedule is empty
  double high = 0;    // HT per kWh
  double low = 0;     // NT per kWh
  std::string currency = "CHF";
  // Dated prices, ascending; when set they replace single/high/low. The first set also
  // applies before its date.
  std::vector<PriceSet> dated{};
  double fixed_fee_per_month = 0;

  // The prices valid at `utc_ms`.
  PriceSet set_at(std::int64_t utc_ms) const;
  // Price per kWh of the local hour starting at `utc_ms`.
  double price_at(std::int64_t utc_ms, const TimeZone& zone) const;
  // Cost and HT/NT split of `wh` consumed in the hour (or, without a schedule, the local day)
  // starting at `start_ms`: prices change on local midnights only.
  Charge charge(double wh, std::int64_t start_ms, const TimeZone& zone) const;
  // The fixed fee owed for [from, to): every local day carries the month's fee divided by the
  // month's days, a part of a day its share of that.
  double fixed_fee(std::int64_t from_ms, std::int64_t to_ms, const TimeZone& zone) const;
  // A constant load over a year at the prices valid at `at_ms`, with the schedule's share of
  // HT hours in the week.
  double yearly_cost_of(double watts, std::int64_t at_ms) const;
};

// Parses "2025-01-01 ht=0.31 nt=0.21, 2026-01-01 ht=0.32 nt=0.22" (or "2025-01-01 price=0.27"):
// dates ascending, prices not negative, ht and nt together and only with a schedule. Throws
// std::invalid_argument naming the offending part and the expected form.
std::vector<PriceSet> parse_dated_prices(std::string_view text, bool has_schedule, const TimeZone& zone);

}  // namespace meterd::dashboard
