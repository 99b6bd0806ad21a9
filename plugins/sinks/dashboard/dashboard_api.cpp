#include "dashboard_api.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "balance_api.hpp"
#include "boot_page.hpp"
#include "csv_reply.hpp"
#include "meterd/http/cookies.hpp"
#include "meterd/sink/energy_price.hpp"
#include "json_arrays.hpp"
#include "password_hash.hpp"
#include "request_params.hpp"
#include "share_scope.hpp"
#include "meterd/http/event_stream.hpp"
#include "meterd/http/http_error.hpp"
#include "meterd/http/query.hpp"
#include "meterd/http/static_files.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dashboard {

using http::bad_request;
using http::HttpError;
using http::QueryParams;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {
constexpr const char* kSessionCookie = "meterd_session";
// A bucket's mean to a thousandth of its unit (1 mW, 1 mV), its energy to a microwatt-hour:
// a week's 10,080 minutes then still sum to the energy of the week within 0.01 Wh.
constexpr int kMeanDecimals = 3;
constexpr int kEnergyDecimals = 6;

// A nlohmann object as the target of period_fields.
struct JsonNode {
  json& j;
  void number(const char* key, double v) { j[key] = v; }
  void number(const char* key, std::int64_t v) { j[key] = v; }
  void null(const char* key) { j[key] = nullptr; }
  void text(const char* key, const std::string& v) { j[key] = v; }
};

// One period's fields, into a nlohmann object or straight into text (JsonFields), from one
// list. `cost` is the energy's (for exported energy `credit`, the feed-in income); a
// configured fixed fee comes apart as `fixed_fee`, owed with or without data.
template <typename Out>
void period_fields(Out& out, const EnergyPeriod& e, const Prices& prices, const TimeZone& zone, Direction direction) {
  const bool credit = direction == Direction::export_energy;
  const char* money = credit ? "credit" : "cost";
  out.number("start_ms", e.start_ms);
  out.number("end_ms", e.end_ms);
  if (e.wh) {
    out.number("wh", *e.wh);
    out.number(money, e.cost);
  } else {
    out.null("wh");
    out.null(money);
  }
  out.number("coverage", e.coverage);
  out.text("source", e.source);
  out.number("estimated_wh", e.estimated_wh);
  const auto bands = prices.band_names();
  for (std::size_t b = 0; b < bands.size(); ++b) {
    const bool has = b < e.band_wh.size();
    out.number((bands[b] + "_wh").c_str(), has ? e.band_wh[b] : 0.0);
    out.number((bands[b] + "_cost").c_str(), has ? e.band_cost[b] : 0.0);
  }
  if (!credit && prices.has_components()) {
    out.number("cost_energy", e.energy_cost);
    out.number("cost_grid", e.grid_cost);
    out.number("cost_levies", e.levies_cost);
    out.number("cost_vat", e.vat_cost);
  }
  if (!prices.dynamic_meter.empty()) {
    out.number("dynamic_wh", e.dynamic_wh);
    const double wh = e.wh.value_or(0);
    out.text("price_source", e.dynamic_wh <= 0 ? "fixed" : e.dynamic_wh >= wh - 1e-9 ? "dynamic" : "mixed");
  }
  if (prices.fixed_fee_per_month > 0) out.number("fixed_fee", prices.fixed_fee(e.start_ms, e.end_ms, zone));
}

json period_json(const EnergyPeriod& e, const Prices& prices, const TimeZone& zone, Direction direction) {
  json j = json::object();
  JsonNode node{j};
  period_fields(node, e, prices, zone, direction);
  return j;
}

// The local date (YYYY-MM-DD) whose end an expiry is, as a date entered for a share is; null
// when it ends at another time of day.
json expiry_date(const std::optional<std::int64_t>& expires_ms, const TimeZone& zone) {
  if (!expires_ms) return nullptr;
  const auto day = period_start(Period::day, *expires_ms - 1, zone);
  if (period_next(Period::day, day, zone) != *expires_ms) return nullptr;
  const auto c = seconds_to_civil(zone.utc_to_local(day / 1000));
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", c.year, c.month, c.day);
  return text;
}

// What a kept answer depends on besides the store: the endpoint and its inputs (the range
// after a share's clamping) and who asks, as a share sees only periods inside its dates.
std::string answer_key(const Access& access, std::initializer_list<std::string> parts) {
  std::string key = access.admin ? "admin" : "share:" + access.share->id;
  for (const auto& part : parts) (key += '\n') += part;
  return key;
}

bool wants_csv(const QueryParams& q) { return q.choice("format", {"json", "csv"}).value_or("json") == "csv"; }

// "house-energy-day-2024-01-29.csv": what, and the local date the range starts on.
std::string csv_name(const std::string& what, std::int64_t from_ms, const TimeZone& zone) {
  return what + "-" + local_iso_time(from_ms, zone).substr(0, 10) + ".csv";
}

}  // namespace

DashboardApi::DashboardApi(HistoryStore& store, Statistics& stats, AccessControl& access, LiveFeed& live,
                           ApiOptions options, std::function<std::int64_t()> clock)
    : store_(store), stats_(stats), access_(access), live_(live), options_(std::move(options)), clock_(std::move(clock)) {
  add_endpoints();
}

DashboardApi::~DashboardApi() { live_.close_all(); }

bool DashboardApi::is_admin(const Request& request) { return admin_access(request).admin; }

Access DashboardApi::admin_access(const Request& request) {
  Access a;
  if (auto s = http::cookie_value(request, kSessionCookie)) a.admin = access_.session_valid(*s, clock_());
  return a;
}

Response DashboardApi::run(const std::string& name, Request& request, const Access& access) {
  auto it = endpoints_.find(name);
  if (it == endpoints_.end()) return Response::error(404, "no such endpoint: " + name);
  require_endpoint(access, name, it->second.first);
  if (request.method != "GET" && request.method != "HEAD") return Response::error(405, "read-only endpoint; use GET");
  return it->second.second(request, access);
}

// The meters asked for, each known and inside the access's scope (404 otherwise, as for one
// meter); none asked for means every meter the access may see.
std::vector<std::string> DashboardApi::visible_meters(const std::vector<std::string>& asked, const Access& access) const {
  std::set<std::string> known;
  for (const auto& s : store_.series())
    if (access.allows_meter(s.meter)) known.insert(s.meter);
  if (asked.empty()) {
    const auto metered = metered_meters(access);
    return {metered.begin(), metered.end()};
  }
  std::vector<std::string> out;
  for (const auto& m : asked) {
    if (!known.count(m)) throw HttpError(404, "unknown meter '" + m + "'");
    if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);  // each meter counted once
  }
  return out;
}

std::string DashboardApi::checked_meter(std::string meter, const Access& access) const {
  // A meter outside a share's scope looks the same as an unknown one: no probing.
  if (!store_.has_meter(meter) || !access.allows_meter(meter)) throw HttpError(404, "unknown meter '" + meter + "'");
  return meter;
}

DashboardApi::AskedMeters DashboardApi::asked_meters(const QueryParams& q, const Access& access) const {
  if (!q.has("meters")) return {{checked_meter(q.required_text("meter", 128), access)}, false};
  if (q.has("meter")) throw bad_request("give either meter=ID or meters=ID,ID, not both");
  AskedMeters asked{{}, true};
  for (const auto& m : q.list("meters", 32).value_or(std::vector<std::string>{}))
    if (std::find(asked.meters.begin(), asked.meters.end(), m) == asked.meters.end())
      asked.meters.push_back(checked_meter(m, access));
  if (asked.meters.empty()) throw bad_request("meters= names no meter; give meters=ID,ID");
  return asked;
}

const std::string& DashboardApi::AskedMeters::one_for_csv() const {
  if (listed && meters.size() > 1) throw bad_request("a CSV download holds one meter; ask meter=ID for each");
  return meters.front();
}

http::Response DashboardApi::AskedMeters::reply(
    const std::function<std::shared_ptr<const std::string>(const std::string&)>& answer) const {
  if (!listed) return json_reply(*answer(meters.front()));
  std::string body = "{\"meters\":[";
  for (const auto& meter : meters) {
    if (body.back() != '[') body += ',';
    body += *answer(meter);
  }
  body += "]}";
  return json_reply(body);
}

void DashboardApi::add_endpoints() {
  const auto meter_param = [this](const QueryParams& q, const Access& access) {
    return checked_meter(q.required_text("meter", 128), access);
  };

  endpoints_["meters"] = {Detail::daily, [this](Request& r, const Access& access) {
    QueryParams(r).allow_only({});
    return Response::json(meters_json(access));
  }};

  endpoints_["latest"] = {Detail::full, [this, meter_param](Request& r, const Access& access) {
    QueryParams q(r);
    q.allow_only({"meter"});
    const auto meter = meter_param(q, access);
    require_present(access, clock_());
    // The clock and the offline limit travel along, so a viewer judges ages by the server's time.
    return Response::json({{"meter", meter}, {"values", live_.latest(meter)}, {"now_ms", clock_()},
                           {"offline_after_ms", options_.offline_after_ms}});
  }};

  endpoints_["series"] = {Detail::hourly, [this](Request& r, const Access& access) {
    const auto generation = store_.generation();  // before anything the answer reads
    QueryParams q(r);
    q.allow_only({"meter", "meters", "quantity", "from", "to", "resolution", "format"});
    const auto asked = asked_meters(q, access);
    const auto quantity = q.required_text("quantity", 64);
    if (!quantity_visible(access, quantity)) throw HttpError(403, "this link does not share voltage");
    auto range = scoped(read_range(q, store_.zone(), 5 * 366 * kDayMs), access);
    const auto span = range.to - range.from;
    std::string resolution = q.choice("resolution", {"auto", "raw", "1m", "15m", "1h", "1d"}).value_or("auto");
    if (resolution == "auto") {
      // About 200 to 2000 points whatever the range.
      resolution = span <= 6 * 3'600'000LL ? "raw" : span <= 2 * kDayMs ? "1m" : span <= 20 * kDayMs ? "15m" : span <= 120 * kDayMs ? "1h" : "1d";
    }
    const std::map<std::string, std::pair<Tier, std::int64_t>> limits = {
        {"raw", {Tier::raw, 2 * kDayMs}}, {"1m", {Tier::minute, 31 * kDayMs}}, {"15m", {Tier::quarter, 366 * kDayMs}},
        {"1h", {Tier::hour, 3 * 366 * kDayMs}}, {"1d", {Tier::day, 5 * 366 * kDayMs}}};
    const auto [tier, max_span] = limits.at(resolution);
    if (span > max_span)
      throw bad_request("range too large for resolution " + resolution + ": at most " + std::to_string(max_span / kDayMs) + " days");
    if (!access.at_least(Detail::full) && (tier == Tier::raw || tier == Tier::minute))
      throw HttpError(403, "this link shares series at 15 min or coarser only");
    const auto head = [&](const std::string& meter) {
      const auto info = store_.find(meter, quantity);
      if (!info || info->intervals) throw HttpError(404, "meter '" + meter + "' has no series '" + quantity + "'");
      return std::pair{*info, json{{"meter", meter}, {"quantity", quantity}, {"unit", info->unit}, {"resolution", resolution},
                                   {"gap_ms", store_.gap_limit_ms(info->id)}}};
    };
    if (wants_csv(q)) {
      auto [info, out] = head(asked.one_for_csv());
      // A CSV download is rare: it reads the arrays back rather than keep a second way to build them.
      for (auto& [name, array] : series_arrays(info, tier, range.from, range.to))
        out[name] = json::parse(std::move(array).finish());
      return csv_response(csv_from_arrays(out, series_csv_columns(out, store_.zone()), store_.zone()),
                          csv_name(asked.meters.front() + "-" + quantity + "-" + resolution, range.from, store_.zone()));
    }
    return asked.reply([&](const std::string& meter) {
      const auto key = answer_key(access, {"series", meter, quantity, resolution, std::to_string(range.from), std::to_string(range.to)});
      return answers_.get(key, generation, [&] {
        const auto [info, out] = head(meter);
        return json_text_with_arrays(out, series_arrays(info, tier, range.from, range.to));
      });
    });
  }};

  endpoints_["energy"] = {Detail::daily, [this](Request& r, const Access& access) {
    const auto generation = store_.generation();  // before anything the answer reads
    QueryParams q(r);
    q.allow_only({"meter", "meters", "period", "from", "to", "direction", "format"});
    const auto asked = asked_meters(q, access);
    Period period;
    const auto period_name = q.choice("period", {"hour", "day", "week", "month", "year"}).value_or("day");
    parse_period(period_name, period);
    if (period == Period::hour && !access.at_least(Detail::hourly)) throw HttpError(403, "this link shares daily totals only");
    const std::int64_t max_ms = period == Period::hour ? 93 * kDayMs : 20 * 366 * kDayMs;
    auto range = scoped(read_range(q, store_.zone(), max_ms), access);
    const auto direction = read_direction(q);
    const auto periods = [&](const std::string& meter) {
      auto all = stats_.energy(meter, direction, period, range.from, range.to);
      // Periods reaching outside a share's window would reveal data beyond it.
      std::erase_if(all, [&](const EnergyPeriod& e) { return !period_visible(access, e.start_ms, e.end_ms); });
      return all;
    };
    const auto& prices = stats_.prices();
    if (wants_csv(q)) {
      const auto& meter = asked.one_for_csv();
      json rows = json::array();
      for (const auto& e : periods(meter)) rows.push_back(period_json(e, prices, store_.zone(), direction));
      return csv_response(csv_from_rows(rows, energy_csv_columns(rows, prices.currency, store_.zone()), store_.zone()),
                          csv_name(meter + "-energy-" + period_name, range.from, store_.zone()));
    }
    return asked.reply([&](const std::string& meter) {
      const auto key = answer_key(access, {"energy", meter, period_name, direction == Direction::import_energy ? "import" : "export",
                                           std::to_string(range.from), std::to_string(range.to)});
      return answers_.get(key, generation, [&] {
        std::string body = json_text({{"meter", meter}, {"currency", prices.currency}});
        body.back() = ',';  // the closing brace
        body += "\"periods\":[";
        bool first = true;
        for (const auto& e : periods(meter)) {
          if (!first) body += ',';
          first = false;
          JsonFields fields(body);
          period_fields(fields, e, prices, store_.zone(), direction);
        }
        body += "]}";
        return body;
      });
    });
  }};

  endpoints_["energy-range"] = {Detail::hourly, [this, meter_param](Request& r, const Access& access) {
    QueryParams q(r);
    q.allow_only({"meter", "from", "to", "direction"});
    const auto meter = meter_param(q, access);
    auto range = scoped(read_range(q, store_.zone(), 31 * kDayMs), access);
    const auto direction = read_direction(q);
    return Response::json(period_json(stats_.energy_range(meter, direction, range.from, range.to), stats_.prices(),
                                      store_.zone(), direction));
  }};

  endpoints_["compare"] = {Detail::daily, [this, meter_param](Request& r, const Access& access) {
    QueryParams q(r);
    q.allow_only({"meter", "period", "at", "direction"});
    const auto meter = meter_param(q, access);
    Period period;
    parse_period(q.choice("period", {"day", "week", "month", "year"}).value_or("month"), period);
    const auto at = q.instant_ms("at", store_.zone()).value_or(clock_());
    const auto& zone = store_.zone();
    const auto start = period_start(period, at, zone);
    const auto now = clock_();
    // An unfinished period is compared over the part of it that has passed, and so are the
    // others: the same elapsed time from their start.
    const bool unfinished = now > start && now < period_next(period, start, zone);
    const auto elapsed = now - start;
    std::vector<std::pair<const char*, std::int64_t>> rows{{"current", start}, {"previous", period_start(period, start - 1, zone)}};
    // For years the previous one is the same year last year: one row, not two equal ones.
    if (period != Period::year) rows.emplace_back("last_year", period_start(period, shift_years(start, -1, zone), zone));
    json out{{"meter", meter}, {"partial", unfinished}, {"currency", stats_.prices().currency}};
    for (const auto& [name, s] : rows) {
      const auto end = period_next(period, s, zone);
      const auto cut = unfinished ? std::min(end, s + elapsed) : end;
      if (!period_visible(access, s, cut)) {
        out[name] = nullptr;
        continue;
      }
      auto row = period_json(stats_.energy_since_midnight(meter, read_direction(q), s, cut), stats_.prices(), zone,
                             read_direction(q));
      row["period_end_ms"] = end;
      row["partial"] = cut < end;
      out[name] = std::move(row);
    }
    return Response::json(out);
  }};

  endpoints_["baseload"] = {Detail::hourly, [this, meter_param](Request& r, const Access& access) {
    QueryParams q(r);
    q.allow_only({"meter", "from", "to"});
    const auto meter = meter_param(q, access);
    auto range = scoped(read_range(q, store_.zone(), 92 * kDayMs), access);
    const auto w = stats_.base_load_w(meter, range.from, range.to);
    return Response::json({{"meter", meter}, {"base_load_w", or_null(w)},
                           {"yearly_cost", w ? json(stats_.yearly_cost_of(*w, clock_())) : json(nullptr)},
                           {"currency", stats_.prices().currency}});
  }};

  endpoints_["peaks"] = {Detail::hourly, [this, meter_param](Request& r, const Access& access) {
    QueryParams q(r);
    q.allow_only({"meter", "from", "to"});
    const auto meter = meter_param(q, access);
    auto range = scoped(read_range(q, store_.zone(), 2 * 366 * kDayMs), access);
    json rows = json::array();
    for (const auto& p : stats_.monthly_peaks(meter, range.from, range.to))
      rows.push_back({{"month_start_ms", p.month_start_ms}, {"at_ms", p.at_ms}, {"kw", p.kw}});
    return Response::json({{"meter", meter}, {"peaks", rows}});
  }};

  // What the Insights view shows for a year, summed here so the page loads kilobytes, not
  // a year of 15-min series per meter.
  endpoints_["insights"] = {Detail::hourly, [this](Request& r, const Access& access) {
    QueryParams q(r);
    q.allow_only({"meters", "from", "to", "direction"});
    auto range = scoped(read_range(q, store_.zone(), 2 * 366 * kDayMs), access);
    const auto meters = visible_meters(q.list("meters", 32).value_or(std::vector<std::string>{}), access);
    json peaks = json::array();
    for (const auto& p : stats_.monthly_peaks(meters, range.from, range.to))
      peaks.push_back({{"month_start_ms", p.month_start_ms}, {"at_ms", p.at_ms}, {"kw", p.kw}});
    const auto direction = read_direction(q);
    const auto total = stats_.energy_total(meters, direction, range.from, range.to);
    return Response::json({{"meters", meters}, {"currency", stats_.prices().currency},
                           {"energy", period_json(total, stats_.prices(), store_.zone(), direction)}, {"peaks", peaks}});
  }};

  endpoints_["matrix"] = {Detail::hourly, [this, meter_param](Request& r, const Access& access) {
    QueryParams q(r);
    q.allow_only({"meter", "from", "to", "direction"});
    const auto meter = meter_param(q, access);
    auto range = scoped(read_range(q, store_.zone(), 93 * kDayMs), access);
    const auto m = stats_.hour_matrix(meter, read_direction(q), range.from, range.to);
    json rows = json::array();
    for (std::size_t i = 0; i < m.days.size(); ++i) {
      json hours = json::array();
      for (const auto& h : m.wh[i]) hours.push_back(or_null(h));
      rows.push_back({{"day_ms", m.days[i]}, {"wh", hours}});
    }
    return Response::json({{"meter", meter}, {"days", rows}});
  }};

  endpoints_["meter-shares"] = {Detail::daily, [this](Request& r, const Access& access) {
    QueryParams q(r);
    q.allow_only({"from", "to", "direction"});
    auto range = scoped(read_range(q, store_.zone(), 20 * 366 * kDayMs), access);
    std::map<std::string, double> totals;
    double all = 0;
    for (const auto& meter : metered_meters(access)) {
      double sum = 0;
      for (const auto& e : stats_.energy(meter, read_direction(q), Period::day, range.from, range.to - 1))
        if (e.wh && e.start_ms >= range.from && e.end_ms <= range.to) sum += *e.wh;
      totals[meter] = sum;
      all += sum;
    }
    json rows = json::array();
    for (const auto& [meter, wh] : totals) rows.push_back({{"meter", meter}, {"wh", wh}, {"share", all > 0 ? wh / all : 0}});
    return Response::json({{"meters", rows}, {"total_wh", all}});
  }};

  endpoints_["voltage"] = {Detail::full, [this, meter_param](Request& r, const Access& access) {
    QueryParams q(r);
    q.allow_only({"meter", "from", "to"});
    const auto meter = meter_param(q, access);
    auto range = scoped(read_range(q, store_.zone(), 31 * kDayMs), access);
    json phases = json::array();
    for (const auto& b : stats_.voltage(meter, range.from, range.to))
      phases.push_back({{"phase", b.phase}, {"min", or_null(b.min)}, {"max", or_null(b.max)}, {"mean", or_null(b.mean)},
                        {"minutes", b.minutes}, {"minutes_below_207v", b.minutes_below}, {"minutes_above_253v", b.minutes_above}});
    const auto pf = stats_.power_factor(meter, range.from, range.to);
    return Response::json({{"meter", meter}, {"nominal_v", 230}, {"band", {207, 253}}, {"phases", phases},
                           {"power_factor", {{"mean", or_null(pf.mean)}, {"min", or_null(pf.min)}}}});
  }};

  // Who is asking and what they may see: the front end's first request.
  endpoints_["session"] = {Detail::daily, [this](Request& r, const Access& access) {
    QueryParams(r).allow_only({});
    return Response::json(session_json(r, access));
  }};

  auto balance = std::make_shared<BalanceApi>(store_, stats_, live_, options_.meter_roles, options_.meter_names,
                                              options_.offline_after_ms, clock_);
  endpoints_["balance"] = {Detail::daily, [balance](Request& r, const Access& a) { return balance->periods(r, a); }};
  endpoints_["balance-now"] = {Detail::full, [balance](Request& r, const Access& a) { return balance->now(r, a); }};
  if (options_.community) {
    community_ = std::make_shared<CommunityApi>(store_, stats_, access_, live_, *options_.community,
                                                options_.offline_after_ms, clock_);
    endpoints_["community-bill"] = {Detail::daily, [c = community_](Request& r, const Access& a) { return c->shared_bill(r, a); }};
  }

  endpoints_["live"] = {Detail::full, [this](Request& r, const Access& access) {
    QueryParams q(r);
    q.allow_only({"meter"});
    const auto only = q.text("meter", 128);
    if (only && !access.allows_meter(*only)) throw HttpError(404, "unknown meter '" + *only + "'");
    require_present(access, clock_());
    auto stream = std::make_shared<http::EventStream>();
    const auto filter = [access, only](const std::string& meter, std::int64_t time_ms) {
      return reading_visible(access, meter, time_ms) && (!only || *only == meter);
    };
    if (!live_.subscribe(stream, filter, live_scope(r, access), still_allowed(r, access))) {
      auto busy = Response::error(429, "this link or session has too many live views open; close one first");
      busy.set_header("Retry-After", "10");
      return busy;
    }
    return Response::events(stream);
  }};
  add_price_endpoints();
}

// The number arrays of a series answer: points for the raw tier, buckets for the others.
NamedArrays DashboardApi::series_arrays(const SeriesInfo& info, Tier tier, std::int64_t from_ms, std::int64_t to_ms) const {
  NamedArrays arrays;
  if (tier == Tier::raw) {
    const auto points = store_.raw(info.id, from_ms, to_ms);
    NumberArray t(points.size()), v(points.size());
    for (const auto& p : points) {
      t.add(p.t_ms);
      v.add(p.value);
    }
    arrays.emplace_back("t", std::move(t));
    arrays.emplace_back("value", std::move(v));
    return arrays;
  }
  const auto buckets = store_.buckets(info.id, tier, from_ms, to_ms);
  const auto n = buckets.size();
  NumberArray t(n), mean(n), mn(n), mx(n), wh(n), estimated(n);
  for (const auto& b : buckets) {
    t.add(b.start_ms);
    mean.add_rounded(b.mean(), kMeanDecimals);
    mn.add(b.min);
    mx.add(b.max);
    wh.add_rounded(b.energy_wh, kEnergyDecimals);
    estimated.add_rounded(b.estimated_wh, kEnergyDecimals);
  }
  arrays.emplace_back("t", std::move(t));
  arrays.emplace_back("mean", std::move(mean));
  arrays.emplace_back("min", std::move(mn));
  arrays.emplace_back("max", std::move(mx));
  if (info.kind != SeriesKind::measurement) {
    arrays.emplace_back("energy_wh", std::move(wh));
    arrays.emplace_back("estimated_wh", std::move(estimated));
  }
  return arrays;
}

// Streams are counted per share link and per admin session (by the session's hash).
std::string DashboardApi::live_scope(const Request& request, const Access& access) const {
  if (!access.admin) return "share:" + access.share->id;
  return "session:" + sha256_hex(http::cookie_value(request, kSessionCookie).value_or(""));
}

// Asked on every sweep of the live feed: the link still valid and its dates still including
// now, or the admin's session not ended.
LiveFeed::StillAllowed DashboardApi::still_allowed(const Request& request, const Access& access) {
  if (access.admin) {
    return [this, session = http::cookie_value(request, kSessionCookie).value_or("")] {
      return access_.session_valid(session, clock_());
    };
  }
  return [this, access] {
    const auto now = clock_();
    return access_.share_active(access.share->id, now) && present_visible(access, now);
  };
}

std::set<std::string> DashboardApi::metered_meters(const Access& access) const {
  std::set<std::string> out;
  for (const auto& s : store_.series()) {
    const auto quantity = std::string_view(s.quantity).substr(0, s.quantity.find('#'));
    if (access.allows_meter(s.meter) && !sink::is_energy_price(quantity, s.unit)) out.insert(s.meter);
  }
  return out;
}

// The meters this access may see, each with the quantities it may see.
json DashboardApi::meters_json(const Access& access) const {
  std::map<std::string, json> meters;
  const auto metered = metered_meters(access);
  for (const auto& s : store_.series()) {
    if (!metered.count(s.meter)) continue;
    auto& m = meters[s.meter];
    m["id"] = s.meter;
    m["name"] = options_.meter_names.of(s.meter);
    std::string quantity = s.quantity;
    if (auto hash = quantity.find('#'); hash != std::string::npos) quantity.resize(hash);
    if (!quantity_visible(access, quantity)) continue;
    m["quantities"].push_back({{"quantity", quantity}, {"unit", s.unit}, {"intervals", s.intervals}});
  }
  json out = json::array();
  for (auto& [id, m] : meters) out.push_back(m);
  return {{"meters", out}, {"time_zone", store_.zone().name()}};
}

// The admin's session or the share's scope, as the page shows it.
json DashboardApi::session_json(const Request& r, const Access& access) const {
  if (access.admin) {
    const auto session = http::cookie_value(r, kSessionCookie);
    const auto expires = session ? access_.session_expiry(*session, clock_()) : std::nullopt;
    return {{"kind", "admin"}, {"expires_ms", expires ? json(*expires) : json(nullptr)}, {"currency", stats_.prices().currency}};
  }
  const auto& s = *access.share;
  return {{"kind", "share"}, {"label", s.label}, {"meters", s.meters}, {"from_ms", s.from_ms},
          {"to_ms", s.to_ms}, {"detail", detail_name(s.detail)},
          {"expires_ms", s.expires_ms ? json(*s.expires_ms) : json(nullptr)},
          {"expires_date", expiry_date(s.expires_ms, store_.zone())},
          {"currency", stats_.prices().currency}};
}

// What the page's first requests would fetch, answered as the endpoints would for this access:
// nothing without a session, a share's scoped answers, and the settings and the count of firing
// alerts (the header's badge) for the admin only.
std::optional<json> DashboardApi::boot_json(const Request& r, const Access& access) const {
  if (!access.admin && !access.share) return std::nullopt;
  json boot{{"session", session_json(r, access)}, {"meters", meters_json(access)}};
  if (access.admin) {
    boot["settings"] = settings_json();
    boot["alerts"] = alerts_json(1);
  }
  return boot;
}

// The alerts sinks announced, the latest `limit` notices; none when no alerts sink is set up.
json DashboardApi::alerts_json(std::size_t limit) const {
  return options_.alerts ? options_.alerts(limit) : json{{"rules", json::array()}, {"firing", 0}, {"history", json::array()}};
}

// What the config decided, for the read-only settings view.
json DashboardApi::settings_json() const {
  const auto& prices = stats_.prices();
  std::set<std::string> ids;
  for (const auto& s : store_.series()) ids.insert(s.meter);
  for (const auto& [id, name] : options_.meter_names.all()) ids.insert(id);
  json meters = json::array();
  for (const auto& id : ids) meters.push_back({{"id", id}, {"name", options_.meter_names.of(id)}});
  const auto& o = store_.options();
  json dated = json::array();
  for (const auto& p : prices.dated)
    dated.push_back({{"from", p.from_date}, {"from_ms", p.from_ms}, {"single", p.single}, {"high", p.high}, {"low", p.low}});
  const auto current = prices.set_at(clock_());
  return {{"time_zone", store_.zone().name()},
          {"currency", prices.currency},
          {"prices", {{"single", current.single}, {"high", current.high}, {"low", current.low}}},
          {"dated_prices", dated},
          {"fixed_fee_per_month", prices.fixed_fee_per_month},
          {"offline_after_ms", options_.offline_after_ms},
          {"ht_schedule", prices.schedule.empty() ? std::string() : prices.schedule.text()},
          {"meters", meters},
          {"retention_days", {{"raw", o.raw_days}, {"1m", o.minute_days}, {"15m", o.quarter_days}, {"1h", o.hour_days},
                              {"1d", o.day_days}}},
          {"disk_budget_bytes", o.disk_budget_bytes},
          // The front end shows the community's view only when there is one.
          {"community", options_.community ? json(options_.community->name) : json(nullptr)}};
}

std::shared_ptr<http::Router> DashboardApi::router() {
  auto router = std::make_shared<http::Router>();
  for (const auto& [name, entry] : endpoints_) {
    const std::string endpoint = name;
    router->add("GET", "/api/" + name, [this, endpoint](Request& r) { return run(endpoint, r, admin_access(r)); });
  }
  if (community_) {
    community_->add_routes(*router, [this](const Request& r) { return admin_access(r).admin; });
  }
  router->add("GET", "/api/storage", [this](Request& r) {
    if (!admin_access(r).admin) return Response::error(401, "log in first");
    QueryParams(r).allow_only({});
    const auto s = store_.space();
    json out{{"file_bytes", s.file_bytes}, {"used_bytes", s.used_bytes}, {"budget_bytes", s.budget_bytes},
             {"raw_points", s.raw_points}, {"tier_bytes", s.tier_bytes}, {"tier_entries", s.tier_entries}};
    if (s.raw_points) out["raw_bytes_per_value"] = static_cast<double>(s.tier_bytes.at("raw")) / static_cast<double>(s.raw_points);
    return Response::json(out);
  });
  // Not among the endpoints a share link reaches: alerts tell about the whole installation.
  router->add("GET", "/api/alerts", [this](Request& r) {
    if (!admin_access(r).admin) return Response::error(401, "log in first");
    const QueryParams q(r);
    q.allow_only({"limit"});
    const auto limit = static_cast<std::size_t>(q.integer("limit", 1, 1000).value_or(200));
    return Response::json(alerts_json(limit));
  });
  router->add("GET", "/api/settings", [this](Request& r) {
    if (!admin_access(r).admin) return Response::error(401, "log in first");
    QueryParams(r).allow_only({});
    return Response::json(settings_json());
  });
  router->add("POST", "/api/login", [this](Request& r) {
    const auto body = JsonBody::parse(r, "the password: {\"password\": \"...\"}");
    const auto result = access_.login(body.required_text("password", 1024), r.remote_address, clock_());
    if (result.log_line && options_.log_warning) options_.log_warning(*result.log_line);
    if (result.retry_after_s > 0) {
      auto res = Response::error(429, "too many failed logins; wait " + std::to_string(result.retry_after_s) +
                                          " s before the next attempt");
      res.set_header("Retry-After", std::to_string(result.retry_after_s));
      return res;
    }
    if (!result.ok) return Response::error(401, "wrong password");
    http::CookieOptions cookie;
    cookie.secure = options_.secure_cookies;
    cookie.max_age = std::chrono::seconds(AccessControl::kSessionMs / 1000);
    auto res = Response::json({{"ok", true}});
    res.set_header("Set-Cookie", http::set_cookie_value(kSessionCookie, result.session, cookie));
    return res;
  });
  router->add("POST", "/api/logout", [this](Request& r) {
    if (auto s = http::cookie_value(r, kSessionCookie)) {
      access_.logout(*s);
      live_.sweep();  // the session's live streams end now
    }
    http::CookieOptions cookie;
    cookie.secure = options_.secure_cookies;
    auto res = Response::json({{"ok", true}});
    res.set_header("Set-Cookie", http::expire_cookie_value(kSessionCookie, cookie));
    return res;
  });
  router->add("GET", "/api/admin/shares", [this](Request& r) {
    if (!admin_access(r).admin) return Response::error(401, "log in first");
    json rows = json::array();
    for (const auto& s : access_.shares()) {
      json j{{"id", s.id}, {"label", s.label}, {"meters", s.meters}, {"from_ms", s.from_ms}, {"to_ms", s.to_ms},
             {"detail", detail_name(s.detail)}, {"revoked", s.revoked}, {"created_ms", s.created_ms}};
      j["expires_ms"] = s.expires_ms ? json(*s.expires_ms) : json(nullptr);
      j["expires_date"] = expiry_date(s.expires_ms, store_.zone());
      rows.push_back(j);
    }
    return Response::json({{"shares", rows}});
  });
  router->add("POST", "/api/admin/shares", [this](Request& r) {
    if (!admin_access(r).admin) return Response::error(401, "log in first");
    const auto body = JsonBody::parse(r, "the share");
    auto share = read_share_spec(body, store_.zone(), clock_(), [&](const std::string& m) { return store_.has_meter(m); });
    const auto token = access_.create_share(share, clock_());
    return Response::json({{"id", share.id}, {"token", token}, {"url", "/s/" + token}}, 201);
  });
  router->add("DELETE", "/api/admin/shares/{id}", [this](Request& r) {
    if (!admin_access(r).admin) return Response::error(401, "log in first");
    if (!access_.revoke_share(r.param("id"))) return Response::error(404, "no such share");
    live_.sweep();  // the link's live streams end now
    return Response::no_content();
  });
  const auto share_access = [this](Request& r) {
    Access a;
    const auto& token = r.param("token");
    if (token.size() > 128) throw HttpError(404, "this link is not valid (revoked, expired or mistyped)");
    a.share = access_.resolve_share(token, clock_());
    if (!a.share) throw HttpError(404, "this link is not valid (revoked, expired or mistyped)");
    return a;
  };
  router->add("GET", "/s/{token}/api/{endpoint}", [this, share_access](Request& r) {
    const auto a = share_access(r);
    return run(r.param("endpoint"), r, a);
  });
  // Deeper paths (/s/<token>/api/admin/...) are no endpoint of a share, not a page.
  router->add("GET", "/s/{token}/api/{endpoint}/{rest*}", [](Request& r) {
    return Response::error(404, "no such endpoint: " + r.param("endpoint") + "/" + r.param("rest"));
  });
  auto files = std::make_shared<http::StaticFiles>(options_.web_root);
  const auto share_page = [this, share_access, files](Request& r) {
    // A link no longer valid still gets the page (as a 404), which then explains it in words.
    if (files->available() && (r.param("token").size() > 128 || !access_.resolve_share(r.param("token"), clock_()))) {
      // Always the whole page: a "not modified" would leave the browser nothing to show.
      Request fresh = r;
      std::erase_if(fresh.headers, [](const auto& h) { return h.first == "if-none-match"; });
      if (auto page = files->serve(fresh, "/")) {
        page->status = 404;
        return *page;
      }
    }
    const auto a = share_access(r);
    if (auto page = serve_with_boot(*files, r, "/", [&] { return boot_json(r, a); })) return *page;
    return Response::json({{"share", {{"meters", a.share->meters}, {"from_ms", a.share->from_ms}, {"to_ms", a.share->to_ms},
                                      {"detail", detail_name(a.share->detail)}}},
                           {"api", "/s/" + r.param("token") + "/api/"}});
  };
  router->add("GET", "/s/{token}", share_page);
  router->add("GET", "/s/{token}/", share_page);
  router->set_fallback([this, files](Request& r) {
    if (r.path.rfind("/api/", 0) == 0) return Response::error(404, "no such endpoint: " + r.path);
    if (r.method != "GET" && r.method != "HEAD") return Response::error(404, "not found");
    // Under /s/ the page is a share's (whose route did not match): the admin's answers are not its.
    const auto boot = [&] { return r.path.rfind("/s/", 0) == 0 ? std::nullopt : boot_json(r, admin_access(r)); };
    if (auto page = serve_with_boot(*files, r, r.path, boot)) return *page;
    return Response::error(404, files->available() ? "not found" : "the web front end is not installed");
  });
  return router;
}

}  // namespace meterd::dashboard
