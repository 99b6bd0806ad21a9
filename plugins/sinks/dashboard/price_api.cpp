// The `prices` endpoint: the average price paid against the market's, tomorrow's cheapest hours
// once day-ahead prices are known, and what a flexible load would have cost in each day's
// cheapest hours (a labelled estimate).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "dashboard_api.hpp"
#include "meterd/http/http_error.hpp"
#include "meterd/http/query.hpp"
#include "price_insights.hpp"
#include "request_params.hpp"
#include "share_scope.hpp"

namespace meterd::dashboard {

using http::HttpError;
using http::QueryParams;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {
json hour_json(const HourPrice& h) { return {{"start_ms", h.start_ms}, {"per_kwh", h.per_kwh}, {"dynamic", h.dynamic}}; }

// Tomorrow's hours and the `n` cheapest of them, when every hour of it has a dynamic price.
json tomorrow_json(const Statistics& stats, std::int64_t now_ms, std::size_t n) {
  const auto& zone = stats.zone();
  const auto start = period_next(Period::day, period_start(Period::day, now_ms, zone), zone);
  const auto hours = hourly_prices(stats, start, period_next(Period::day, start, zone));
  if (hours.empty() || !std::all_of(hours.begin(), hours.end(), [](const HourPrice& h) { return h.dynamic; })) return nullptr;
  auto cheapest = hours;
  std::stable_sort(cheapest.begin(), cheapest.end(), [](const auto& a, const auto& b) { return a.per_kwh < b.per_kwh; });
  cheapest.resize(std::min(n, cheapest.size()));
  std::sort(cheapest.begin(), cheapest.end(), [](const auto& a, const auto& b) { return a.start_ms < b.start_ms; });
  json all = json::array(), best = json::array();
  for (const auto& h : hours) all.push_back(hour_json(h));
  for (const auto& h : cheapest) best.push_back(hour_json(h));
  return {{"day_ms", start}, {"hours", all}, {"cheapest", best}};
}
}  // namespace

void DashboardApi::add_price_endpoints() {
  endpoints_["prices"] = {Detail::hourly, [this](Request& r, const Access& access) {
    QueryParams q(r);
    q.allow_only({"meter", "shift_meter", "from", "to", "hours"});
    const auto known = [&](const std::string& meter) {
      if (!store_.has_meter(meter) || !access.allows_meter(meter)) throw HttpError(404, "unknown meter '" + meter + "'");
      return meter;
    };
    const auto meter = known(q.required_text("meter", 128));
    const auto range = scoped(read_range(q, store_.zone(), 366 * kDayMs), access);
    const auto n = static_cast<std::size_t>(q.integer("hours", 1, 12).value_or(3));
    const auto& prices = stats_.prices();
    const auto now = clock_();
    const auto paid = paid_vs_market(stats_, meter, range.from, range.to);
    json out{{"meter", meter}, {"currency", prices.currency}, {"from_ms", range.from}, {"to_ms", range.to},
             {"dynamic_prices", prices.dynamic_meter.empty() ? json(nullptr) : json(prices.dynamic_meter)}};
    out["paid"] = {{"wh", paid.wh}, {"cost", paid.cost}, {"energy_cost", paid.energy_cost},
                   {"per_kwh", paid.wh > 0 ? json(paid.cost / paid.wh * 1000) : json(nullptr)},
                   {"energy_per_kwh", paid.wh > 0 ? json(paid.energy_cost / paid.wh * 1000) : json(nullptr)}};
    out["market"] = {{"per_kwh", paid.market_per_kwh ? json(*paid.market_per_kwh) : json(nullptr)},
                     {"quarters", paid.market_quarters}};
    const auto newest = newest_dynamic_price(stats_, now);
    out["newest_price_ms"] = newest ? json(*newest) : json(nullptr);
    // Tomorrow's prices are the present's business: a share limited to past dates does not see them.
    out["tomorrow"] = present_visible(access, now) ? tomorrow_json(stats_, now, n) : json(nullptr);
    out["shift"] = nullptr;
    if (const auto shift = q.text("shift_meter", 128)) {
      const auto e = shift_to_cheapest_hours(stats_, known(*shift), range.from, range.to);
      out["shift"] = {{"meter", *shift}, {"estimate", true}, {"wh", e.wh}, {"days", e.days}, {"actual_cost", e.actual},
                      {"shifted_cost", e.shifted}, {"saving", e.actual - e.shifted},
                      {"method", "each day's energy at the mean energy price of that day's N cheapest hours, N the hours "
                                 "the meter drew energy; energy component only"}};
    }
    return Response::json(out);
  }};
}

}  // namespace meterd::dashboard
