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

// The time-of-use bands in effect now: each band's hours as configured and its energy price
// (without grid usage, levies and VAT); empty when one price holds every hour.
json bands_json(const Prices& prices, std::int64_t now_ms) {
  const auto bands = prices.bands.empty() ? BandSchedule::high_low(prices.schedule) : prices.bands;
  const auto set = prices.set_at(now_ms);
  json out = json::array();
  for (std::size_t b = 0; b < bands.names().size(); ++b) {
    const double per_kwh = prices.bands.empty() && set.band.empty() ? (b == 0 ? set.high : set.low) : set.of_band(b);
    out.push_back({{"name", bands.names()[b]}, {"hours", bands.hours(b)}, {"hours_per_week", bands.hours_per_week(b)},
                   {"energy_per_kwh", per_kwh}});
  }
  return out;
}

// Whether any price is configured at all; without one the answer has nothing to tell.
bool prices_configured(const Prices& p) {
  return !p.dynamic_meter.empty() || !p.dated.empty() || p.single != 0 || p.high != 0 || p.low != 0 || p.has_components();
}

// The meters whose load could move: the one asked for, else the role meters named heat_pump or ev.
std::vector<std::string> flexible_meters(const std::optional<std::string>& asked, const MeterRoles& roles,
                                         const std::function<bool(const std::string&)>& visible) {
  if (asked) return {*asked};
  std::vector<std::string> out;
  for (const auto& r : roles.entries())
    if ((r.kind == "heat_pump" || r.kind == "ev") && visible(r.meter)) out.push_back(r.meter);
  return out;
}
}  // namespace

void DashboardApi::add_price_endpoints() {
  endpoints_["prices"] = {Detail::hourly, [this](Request& r, const Access& access) {
    QueryParams q(r);
    q.allow_only({"meter", "shift_meter", "from", "to", "hours"});
    const auto visible = [&](const std::string& meter) { return store_.has_meter(meter) && access.allows_meter(meter); };
    const auto known = [&](const std::string& meter) {
      if (!visible(meter)) throw HttpError(404, "unknown meter '" + meter + "'");
      return meter;
    };
    const auto meter = known(price_meter(q, visible));
    const auto shift_meter = q.text("shift_meter", 128);
    if (shift_meter) known(*shift_meter);
    const auto range = scoped(read_range(q, store_.zone(), 366 * kDayMs), access);
    const auto n = static_cast<std::size_t>(q.integer("hours", 1, 12).value_or(3));
    const auto& prices = stats_.prices();
    const auto now = clock_();
    const auto paid = paid_vs_market(stats_, meter, range.from, range.to);
    json out{{"meter", meter}, {"name", options_.meter_names.of(meter)}, {"currency", prices.currency},
             {"from_ms", range.from}, {"to_ms", range.to}, {"configured", prices_configured(prices)},
             {"dynamic_prices", prices.dynamic_meter.empty() ? json(nullptr) : json(prices.dynamic_meter)},
             {"bands", bands_json(prices, now)}};
    out["paid"] = {{"wh", paid.wh}, {"cost", paid.cost}, {"energy_cost", paid.energy_cost},
                   {"per_kwh", paid.wh > 0 ? json(paid.cost / paid.wh * 1000) : json(nullptr)},
                   {"energy_per_kwh", paid.wh > 0 ? json(paid.energy_cost / paid.wh * 1000) : json(nullptr)}};
    out["market"] = {{"per_kwh", paid.market_per_kwh ? json(*paid.market_per_kwh) : json(nullptr)},
                     {"quarters", paid.market_quarters}};
    out["feed"] = feed_json(now);
    // Tomorrow's prices are the present's business: a share limited to past dates does not see them.
    out["tomorrow"] = present_visible(access, now) ? tomorrow_json(stats_, now, n) : json(nullptr);
    out["shifts"] = json::array();
    for (const auto& m : flexible_meters(shift_meter, options_.meter_roles, visible))
      out["shifts"].push_back(shift_json(m, shift_meter ? "parameter" : "role", range));
    return Response::json(out);
  }};
}

// `meter`, else the grid meter of the roles: the whole household's import.
std::string DashboardApi::price_meter(const QueryParams& q, const std::function<bool(const std::string&)>& visible) const {
  if (const auto meter = q.text("meter", 128)) return *meter;
  const auto grid = options_.meter_roles.grid();
  if (grid && visible(*grid)) return *grid;
  throw HttpError(400, "parameter 'meter' is missing: name the meter whose prices to compare (no grid meter in "
                       "'meter_roles' to take instead)");
}

// The dynamic price feed: the newest price's start, the price valid now and whether the feed
// is stale (no price covers now, so costs fall back to the fixed price); null without one.
json DashboardApi::feed_json(std::int64_t now_ms) const {
  const auto& prices = stats_.prices();
  if (prices.dynamic_meter.empty()) return nullptr;
  const auto table = stats_.dynamic_prices(now_ms - prices.dynamic_max_age_ms, now_ms + 1);
  const auto current = table.at(now_ms);
  std::optional<std::int64_t> current_start;
  for (const auto& p : table.points)
    if (p.start_ms <= now_ms) current_start = p.start_ms;
  const auto newest = newest_dynamic_price(stats_, now_ms);
  return {{"meter", prices.dynamic_meter}, {"newest_ms", newest ? json(*newest) : json(nullptr)},
          {"current_start_ms", current && current_start ? json(*current_start) : json(nullptr)},
          {"current_per_kwh", current ? json(*current) : json(nullptr)}, {"stale", !current.has_value()},
          {"valid_ms", prices.dynamic_max_age_ms}};
}

json DashboardApi::shift_json(const std::string& meter, const char* chosen_by, const Range& range) const {
  const auto e = shift_to_cheapest_hours(stats_, meter, range.from, range.to);
  const auto* role = options_.meter_roles.find(meter);
  return {{"meter", meter}, {"name", options_.meter_names.of(meter)}, {"role", role ? json(role->kind) : json(nullptr)},
          {"chosen_by", chosen_by}, {"estimate", true}, {"wh", e.wh}, {"days", e.days}, {"actual_cost", e.actual},
          {"shifted_cost", e.shifted}, {"saving", e.actual - e.shifted},
          {"method", "each day's energy at the mean energy price of that day's N cheapest hours, N the hours the "
                     "meter drew energy; energy component only"}};
}

}  // namespace meterd::dashboard
