#pragma once
// The energy price valid now, per price feed, for Prometheus. Prices arrive at the start of
// their interval, day-ahead ones up to ~36 h early, so the newest price is usually tomorrow's:
// the table keeps every announced price and shows the one whose interval holds the scrape's
// wall-clock time, by the rule the dashboard costs with (meterd::price_valid_at). A feed with no
// price valid now (it stopped) is not shown, as the dashboard then falls back to its fixed price
// and reports `price_feed_stale`. All members may be called from any thread.
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <map>
#include <vector>

#include "exposition.hpp"
#include "meterd/price_validity.hpp"
#include "meterd/v1/bus.pb.h"

namespace meterd::prometheus {

class PriceTable {
 public:
  // `valid_ms`: how long a price holds after its start without a newer one.
  explicit PriceTable(std::int64_t valid_ms) : valid_ms_(valid_ms) {}

  // Takes the reading's energy prices (quantity "price" or a unit per kWh/MWh), each at the
  // start of its interval. False when it had none.
  bool update(const v1::Reading& reading);
  // meterd_energy_price_per_kwh for every feed with a price valid at `now_ms` (Unix ms);
  // prices that can no longer become valid are forgotten.
  void append_to(FamilySet& out, std::int64_t now_ms);

  // Prices kept per feed at most (20 days of 15-min prices); the oldest go first.
  static constexpr std::size_t kMaxPrices = 2000;

 private:
  void add(std::vector<PricePoint>& prices, PricePoint point);

  const std::int64_t valid_ms_;
  std::mutex mutex_;
  // (meter, currency) -> prices ascending by start
  std::map<std::pair<std::string, std::string>, std::vector<PricePoint>> feeds_;
};

}  // namespace meterd::prometheus
