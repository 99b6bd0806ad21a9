#include "price_table.hpp"

#include <algorithm>

#include "meterd/sink/energy_price.hpp"

namespace meterd::prometheus {
namespace {
// A price holds from the start of its interval; a source that sends no interval stamps the
// reading with that start (price_feed), else the reading's time is the best there is.
std::int64_t start_of(const v1::Reading& reading, const v1::Value& value) {
  if (value.interval_start_ms() != 0) return value.interval_start_ms();
  if (value.time_ms() != 0) return value.time_ms();
  return reading.has_meter_time_ms() ? reading.meter_time_ms() : reading.received_ms();
}
}  // namespace

bool PriceTable::update(const v1::Reading& reading) {
  bool any = false;
  std::lock_guard lock(mutex_);
  for (const v1::Value& value : reading.values()) {
    if (!value.has_number()) continue;
    const auto price = sink::energy_price(value.quantity(), value.unit(), value.number());
    if (!price) continue;
    add(feeds_[{reading.meter_id(), price->currency}], {start_of(reading, value), price->per_kwh});
    any = true;
  }
  return any;
}

// The same start again replaces the price (a corrected day-ahead answer), as the dashboard does.
void PriceTable::add(std::vector<PricePoint>& prices, PricePoint point) {
  auto it = std::lower_bound(prices.begin(), prices.end(), point.start_ms,
                             [](const PricePoint& p, std::int64_t t) { return p.start_ms < t; });
  if (it != prices.end() && it->start_ms == point.start_ms) it->per_kwh = point.per_kwh;
  else prices.insert(it, point);
  if (prices.size() > kMaxPrices) prices.erase(prices.begin(), prices.begin() + static_cast<std::ptrdiff_t>(prices.size() - kMaxPrices));
}

void PriceTable::append_to(FamilySet& out, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  for (auto feed = feeds_.begin(); feed != feeds_.end();) {
    auto& prices = feed->second;
    // A price that started valid_ms ago or earlier cannot hold now or later.
    std::erase_if(prices, [&](const PricePoint& p) { return now_ms - p.start_ms >= valid_ms_; });
    if (prices.empty()) {
      feed = feeds_.erase(feed);
      continue;
    }
    if (const auto now = price_valid_at(prices, now_ms, valid_ms_)) {
      out.add("meterd_energy_price_per_kwh", MetricType::gauge,
              "Energy price valid now per kWh, in the currency of the currency label; a future (day-ahead) price shows "
              "once its interval starts, and a feed without a price valid now is left out",
              {{"meter", feed->first.first}, {"currency", feed->first.second}}, *now);
    }
    ++feed;
  }
}

}  // namespace meterd::prometheus
