#pragma once
// What the prices tell beyond the bill: the average price paid against the market's average,
// each hour's price (the cheapest hours of a day ahead), and an estimate of what a flexible
// load (heat pump, EV) would have cost had its energy been moved to each day's cheapest hours.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "statistics.hpp"

namespace meterd::dashboard {

struct HourPrice {
  std::int64_t start_ms = 0;
  double per_kwh = 0;    // energy price: the mean of the hour's dynamic quarter prices, else the fixed price
  bool dynamic = false;  // every quarter of the hour has a dynamic price
};

struct PaidVsMarket {
  double wh = 0, cost = 0, energy_cost = 0;  // the meter's energy and its cost (all components; energy alone)
  std::optional<double> market_per_kwh;      // mean dynamic price over the period's quarter hours that have one
  std::int64_t market_quarters = 0;
};

struct ShiftEstimate {
  double wh = 0;
  double actual = 0;   // energy component as costed, quarter by quarter
  double shifted = 0;  // each day's energy at the mean price of that day's N cheapest hours, N the hours it ran
  int days = 0;
};

// The local hours of [from, to) with their energy price.
std::vector<HourPrice> hourly_prices(const Statistics& stats, std::int64_t from_ms, std::int64_t to_ms);
PaidVsMarket paid_vs_market(const Statistics& stats, const std::string& meter, std::int64_t from_ms, std::int64_t to_ms);
ShiftEstimate shift_to_cheapest_hours(const Statistics& stats, const std::string& meter, std::int64_t from_ms,
                                      std::int64_t to_ms);
// The newest start of a dynamic price, if any.
std::optional<std::int64_t> newest_dynamic_price(const Statistics& stats, std::int64_t now_ms);

}  // namespace meterd::dashboard
