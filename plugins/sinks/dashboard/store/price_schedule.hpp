#pragma once
// What energy costs: prices per kWh that change on given local dates (Swiss tariffs change
// every 1 January), one per time-of-use band (a single price, the HT/NT pair of the tariff
// schedule, or any number of bands), split into components (energy, grid usage, levies) with
// VAT on top; a feed-in tariff for exported energy; dynamic energy prices from a price series;
// and an optional fixed fee per month charged per day.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "holidays.hpp"
#include "meterd/price_validity.hpp"
#include "tariff_bands.hpp"
#include "tariff_schedule.hpp"

namespace meterd::dashboard {

// Prices that apply from a local date on, until the next set's date.
struct PriceSet {
  std::string from_date;     // as configured, e.g. "2025-01-01"; empty: always
  std::int64_t from_ms = 0;  // that date's local midnight
  double single = 0, high = 0, low = 0;
  std::vector<double> band{};  // per band, in the schedule's order; empty: `single` for every band
  double of_band(std::size_t b) const { return b < band.size() ? band[b] : single; }
};

// One component's dated sets, ascending; empty: the component is not configured.
using PriceSets = std::vector<PriceSet>;

// Dynamic energy prices: each interval's start and price per kWh, ascending by start.
using DynamicPrice = meterd::PricePoint;
struct PriceTable {
  std::vector<DynamicPrice> points;
  std::int64_t valid_ms = 3'600'000;  // how long a price holds after its start without a newer one
  // The price valid at `t`, or nothing when no price starts within valid_ms before it
  // (meterd::price_valid_at, the rule every sink shares).
  std::optional<double> at(std::int64_t t) const { return price_valid_at(points, t, valid_ms); }
};

// What `wh` within one band cost, by component.
struct Charge {
  double cost = 0, high_wh = 0, low_wh = 0, high_cost = 0, low_cost = 0;
  double energy = 0, grid = 0, levies = 0, vat = 0;  // cost = energy + grid + levies + vat
  std::size_t band = 0;
  bool dynamic = false;  // the energy price came from the dynamic prices
};

struct Prices {
  TariffSchedule schedule;  // HT hours of the HT/NT pair
  double single = 0;  // per kWh, used when no schedule is configured
  double high = 0;    // HT per kWh
  double low = 0;     // NT per kWh
  std::string currency = "CHF";
  // Dated energy prices, ascending; when set they replace single/high/low. The first set also
  // applies before its date.
  PriceSets dated{};
  double fixed_fee_per_month = 0;
  BandSchedule bands{};  // any number of bands; replaces `schedule` when set
  Holidays holidays{};   // days that take the hours of a Sunday (or the configured weekday)
  PriceSets grid{}, levies{};  // further components per kWh, like `dated`
  double vat_percent = 0;      // on energy, grid and levies
  PriceSets feed_in{};         // credit per exported kWh
  bool feed_in_dynamic = false;  // the feed-in credit follows the dynamic prices
  std::string dynamic_meter{};  // meter whose `price` series sets the energy price; empty: none
  std::int64_t dynamic_max_age_ms = 3'600'000;

  // The band names in order: the configured bands, "ht" and "nt" with a schedule, else none.
  std::vector<std::string> band_names() const;
  // The band of the local hour starting at `utc_ms` (0 without bands).
  std::size_t band_at(std::int64_t utc_ms, const TimeZone& zone) const;
  // Whether prices can change within a local day.
  bool varies_by_hour() const { return !bands.empty() || !schedule.empty(); }
  bool has_components() const { return !grid.empty() || !levies.empty() || vat_percent > 0; }
  bool has_feed_in() const { return !feed_in.empty() || feed_in_dynamic; }
  // The energy prices valid at `utc_ms`.
  PriceSet set_at(std::int64_t utc_ms) const;
  // Energy price per kWh (fixed, without grid, levies and VAT) of the hour starting at `utc_ms`.
  double price_at(std::int64_t utc_ms, const TimeZone& zone) const;
  // Cost of `wh` consumed in the bucket starting at `start_ms` (at most an hour long, or a local
  // day without bands): every component at the band's price then, plus VAT. `dynamic` sets the
  // energy price where it has one.
  Charge charge(double wh, std::int64_t start_ms, const TimeZone& zone, const PriceTable* dynamic = nullptr) const;
  // Feed-in credit of `wh` exported in that bucket (no VAT: a household does not charge it).
  Charge credit(double wh, std::int64_t start_ms, const TimeZone& zone, const PriceTable* dynamic = nullptr) const;
  // The fixed fee owed for [from, to): every local day carries the month's fee divided by the
  // month's days, a part of a day its share of that.
  double fixed_fee(std::int64_t from_ms, std::int64_t to_ms, const TimeZone& zone) const;
  // A constant load over a year at the fixed prices valid at `at_ms` (all components and VAT),
  // with each band's share of the week's hours.
  double yearly_cost_of(double watts, std::int64_t at_ms) const;
};

// Parses "2025-01-01 ht=0.31 nt=0.21, 2026-01-01 ht=0.32 nt=0.22" (or "2025-01-01 price=0.27"):
// dates ascending, prices not negative, ht and nt together and only with a schedule. Throws
// std::invalid_argument naming the offending part and the expected form.
std::vector<PriceSet> parse_dated_prices(std::string_view text, bool has_schedule, const TimeZone& zone);
// The same for option `option` with the given bands (empty: price= only). Also takes, instead
// of dated entries, one entry valid always: "0.09", "price=0.09" or "ht=0.09 nt=0.05".
PriceSets parse_price_sets(std::string_view option, std::string_view text, const std::vector<std::string>& bands,
                           const TimeZone& zone, bool dated_only = false);

}  // namespace meterd::dashboard
