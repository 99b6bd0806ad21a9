#include "community_api.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "community_bill.hpp"
#include "community_pages.hpp"
#include "community_reconcile.hpp"
#include "csv_reply.hpp"
#include "live_power.hpp"
#include "meter_directions.hpp"
#include "request_params.hpp"
#include "share_scope.hpp"
#include "meterd/http/http_error.hpp"
#include "meterd/http/query.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dashboard {

using http::HttpError;
using http::QueryParams;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

struct BillingSpan {
  std::string label;
  std::int64_t first_day;  // local day number of its first day
  std::int64_t from, to;
};

// "2026-03", "2026-Q1" or "2026", whichever the community bills by.
BillingSpan read_span(const QueryParams& q, BillingPeriod period, const TimeZone& zone) {
  const auto text = q.required_text("period", 16);
  int year = 0, part = 0;
  char tail = 0;
  bool ok = false;
  int first_month = 1, months = 12;
  switch (period) {
    case BillingPeriod::month:
      ok = text.size() == 7 && std::sscanf(text.c_str(), "%4d-%2d%c", &year, &part, &tail) == 2 && part >= 1 && part <= 12;
      first_month = part, months = 1;
      break;
    case BillingPeriod::quarter:
      ok = text.size() == 7 && std::sscanf(text.c_str(), "%4d-Q%1d%c", &year, &part, &tail) == 2 && part >= 1 && part <= 4;
      first_month = 3 * part - 2, months = 3;
      break;
    case BillingPeriod::year: ok = text.size() == 4 && std::sscanf(text.c_str(), "%4d%c", &year, &tail) == 1; break;
  }
  if (!ok || year < 1970 || year > 9998) {
    const char* form = period == BillingPeriod::month ? "YYYY-MM, e.g. 2026-03"
                       : period == BillingPeriod::quarter ? "YYYY-QN, e.g. 2026-Q1" : "YYYY, e.g. 2026";
    throw HttpError(400, "period '" + text + "' is not a billing period: the community bills by " +
                             period_name(period) + ", write " + form);
  }
  const auto start_day = [&](int y, int m) { return days_from_civil(y + (m - 1) / 12, (m - 1) % 12 + 1, 1); };
  return {text, start_day(year, first_month), local_day_start_ms(start_day(year, first_month), zone),
          local_day_start_ms(start_day(year, first_month + months), zone)};
}

std::string format_of(const QueryParams& q, bool html) {
  if (html) return q.choice("format", {"json", "csv", "html"}).value_or("json");
  return q.choice("format", {"json", "csv"}).value_or("json");
}

Response html_response(std::string body) {
  auto r = Response::text(200, std::move(body), "text/html; charset=utf-8");
  // A standalone page: its own inline styles, nothing else loaded, no scripts.
  r.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
  return r;
}

std::string file_stem(const Community& c, const std::string& what, const std::string& label) {
  return c.name + "-" + what + "-" + label;
}

}  // namespace

void CommunityApi::add_routes(http::Router& router, std::function<bool(const Request&)> is_admin) const {
  const auto guarded = [is_admin](auto handler) {
    return [is_admin, handler](Request& r) {
      if (!is_admin(r)) return Response::error(401, "log in first");
      try {
        return handler(r);
      } catch (const HttpError& e) {
        return Response::error(e.status(), e.what());
      }
    };
  };
  router.add("GET", "/api/community", guarded([this](Request& r) { return config(r); }));
  router.add("GET", "/api/community/summary", guarded([this](Request& r) { return summary(r); }));
  router.add("GET", "/api/community/bill", guarded([this](Request& r) { return bill(r); }));
  router.add("GET", "/api/community/intervals", guarded([this](Request& r) { return intervals(r); }));
  router.add("GET", "/api/community/now", guarded([this](Request& r) { return now(r); }));
  router.add("GET", "/api/community/reconcile", guarded([this](Request& r) { return reconcile(r); }));
  router.add("POST", "/api/community/shares", guarded([this](Request& r) { return create_shares(r); }));
}

Response CommunityApi::config(Request& r) const {
  QueryParams(r).allow_only({});
  const auto& c = community_;
  json members = json::array();
  for (const auto& m : c.members)
    members.push_back({{"member", m.id}, {"name", m.name}, {"meters", m.meters}, {"role", role_name(m.role)},
                       {"from", m.from_text}, {"to", m.to_day ? json(m.to_text) : json(nullptr)}, {"share", m.share},
                       {"priority", m.rank}, {"tenant", m.tenant}});
  const char* rule = c.rule == AllocationRule::proportional ? "proportional" : c.rule == AllocationRule::shares ? "shares" : "priority";
  return Response::json({{"name", c.name}, {"kind", kind_name(c.kind)}, {"allocation", rule}, {"period", period_name(c.period)},
                         {"currency", stats_.prices().currency},
                         {"terms",
                          {{"solar_price", c.terms.solar_price}, {"cost_model", c.terms.actual_costs ? "actual" : "flat"},
                           {"leg_discount_percent", c.terms.leg_discount_percent},
                           {"fixed_fee_per_month", c.terms.fixed_fee_per_month}, {"vat_percent", stats_.prices().vat_percent}}},
                         {"members", members}});
}

Response CommunityApi::summary(Request& r) const {
  QueryParams q(r);
  q.allow_only({"period", "format"});
  const auto& zone = stats_.zone();
  const auto span = read_span(q, community_.period, zone);
  const auto format = format_of(q, true);
  const auto ledger = ledger_of(span.from, span.to);
  std::vector<Bill> bills;
  for (std::size_t i = 0; i < community_.members.size(); ++i)
    bills.push_back(member_bill(community_, *ledger, i, stats_.prices(), span.label, zone));
  const auto s = summary_json(community_, *ledger, bills, span.label);
  if (format == "csv") return csv_response(summary_csv(s), file_stem(community_, "summary", span.label) + ".csv");
  if (format == "html") return html_response(summary_html(s, stats_.prices().currency, zone));
  return Response::json(s);
}

Response CommunityApi::bill(Request& r) const {
  QueryParams q(r);
  q.allow_only({"member", "period", "format"});
  const auto& zone = stats_.zone();
  const auto id = q.required_text("member", 128);
  const auto span = read_span(q, community_.period, zone);
  const auto format = format_of(q, true);
  const auto* member = community_.find(id);
  if (!member) throw HttpError(404, "no member '" + id + "' in the community");
  const auto index = static_cast<std::size_t>(member - community_.members.data());
  const auto ledger = ledger_of(span.from, span.to);
  if (ledger->members[index].member_intervals == 0)
    throw HttpError(404, "member '" + id + "' was not a member in " + span.label + " (from " + member->from_text +
                             (member->to_day ? " to " + member->to_text : std::string()) + ")");
  return render_bill(member_bill(community_, *ledger, index, stats_.prices(), span.label, zone), format);
}

Response CommunityApi::render_bill(const Bill& b, const std::string& format) const {
  if (format == "csv") return csv_response(bill_csv(b), file_stem(community_, b.member_id, b.period) + ".csv");
  if (format == "html") return html_response(bill_html(b, stats_.zone()));
  return Response::json(bill_json(b));
}

std::vector<std::size_t> CommunityApi::covered_members(const Access& access, std::int64_t from, std::int64_t to) const {
  std::vector<std::size_t> out;
  const auto& zone = stats_.zone();
  for (std::size_t i = 0; i < community_.members.size(); ++i) {
    const auto& m = community_.members[i];
    const auto start = std::max(from, local_day_start_ms(m.from_day, zone));
    const auto end = std::min(to, m.to_day ? local_day_start_ms(*m.to_day + 1, zone) : to);
    if (start >= end) continue;  // not a member in the period
    bool meters = true;
    for (const auto& meter : m.meters) meters = meters && access.allows_meter(meter);
    // A meter passes from tenant to tenant: the link's window tells whose time it covers.
    if (meters && period_visible(access, start, end)) out.push_back(i);
  }
  return out;
}

Response CommunityApi::shared_bill(Request& r, const Access& access) const {
  QueryParams q(r);
  q.allow_only({"member", "period", "format"});
  const auto& zone = stats_.zone();
  const auto span = read_span(q, community_.period, zone);
  const auto format = format_of(q, true);
  const auto asked = q.text("member", 128);
  if (access.admin && !asked) throw HttpError(400, "name the member: member=ID");
  const auto covered = covered_members(access, span.from, span.to);
  std::optional<std::size_t> index;
  for (const auto i : covered)
    if (!asked || community_.members[i].id == *asked) {
      if (index) throw HttpError(400, "this link covers several members in " + span.label + "; name one with member=ID");
      index = i;
    }
  // The same answer for a member that does not exist and one the link does not cover.
  if (!index) throw HttpError(404, "no bill of " + (asked ? "member '" + *asked + "'" : std::string("this link")) + " in " + span.label);
  const auto ledger = ledger_of(span.from, span.to);
  return render_bill(member_bill(community_, *ledger, *index, stats_.prices(), span.label, zone), format);
}

std::shared_ptr<const CommunityLedger> CommunityApi::ledger_of(std::int64_t from, std::int64_t to) const {
  const CommunityLedgerCache::Changes changes{[&] { return store_.mark(); },
                                              [&](std::uint64_t m) { return store_.changed_from(m); }};
  return ledgers_.get(from, to, changes, [&] { return run_ledger(community_, store_, stats_, from, to); });
}

// One share link per member: its meters, its membership's days, daily detail (enough for the
// bill and its own energy), so the operator hands each member its own link.
Response CommunityApi::create_shares(Request& r) const {
  const auto body = JsonBody::parse(r, "the shares");
  const auto& zone = stats_.zone();
  const auto now = clock_();
  std::optional<std::int64_t> expires = body.instant("expires", zone);
  if (expires && body.is_date("expires")) *expires = period_next(Period::day, *expires, zone);
  if (expires && *expires <= now) throw HttpError(400, "field 'expires' must be in the future");
  const auto only = body.has("members") ? body.text_list("members", 10'000, 128) : std::vector<std::string>{};
  for (const auto& id : only)
    if (!community_.find(id)) throw HttpError(400, "unknown member '" + id + "' in field 'members'");
  json links = json::array();
  for (const auto& m : community_.members) {
    if (!only.empty() && std::find(only.begin(), only.end(), m.id) == only.end()) continue;
    Share share;
    share.label = community_.name + ": " + m.name;
    share.meters = m.meters;
    share.from_ms = local_day_start_ms(m.from_day, zone);
    // An open membership: the link's window runs as far as the API's instants go.
    share.to_ms = m.to_day ? local_day_start_ms(*m.to_day + 1, zone) : local_day_start_ms(days_from_civil(9999, 1, 1), zone);
    share.detail = Detail::daily;
    share.expires_ms = expires;
    const auto token = access_.create_share(share, now);
    links.push_back({{"member", m.id}, {"name", m.name}, {"id", share.id}, {"token", token}, {"url", "/s/" + token}});
  }
  return Response::json({{"shares", links}}, 201);
}

Response CommunityApi::intervals(Request& r) const {
  QueryParams q(r);
  q.allow_only({"period", "format", "group"});
  const auto& zone = stats_.zone();
  const auto span = read_span(q, community_.period, zone);
  const auto format = format_of(q, false);
  if (q.choice("group", {"interval", "day"}).value_or("interval") == "day")
    return days(span.label, span.first_day, span.from, span.to, format);
  json rows = json::array();
  std::string csv = "start,production_wh,consumption_wh,local_wh,grid_wh,fed_in_wh,estimated";
  for (const auto& m : community_.members) csv += "," + m.id + "_consumption_wh," + m.id + "_allocated_wh," + m.id + "_sold_wh";
  csv += "\r\n";
  const auto ledger = run_ledger(community_, store_, stats_, span.from, span.to, [&](const LedgerInterval& i) {
    const auto& a = i.allocation;
    if (format == "csv") {
      csv += local_iso_time(i.start_ms, zone) + "," + std::to_string(a.production_wh) + "," + std::to_string(a.consumption_wh) +
             "," + std::to_string(a.local_wh) + "," + std::to_string(a.grid_wh) + "," + std::to_string(a.fed_in_wh) + "," +
             (i.estimated ? "yes" : "no");
      for (std::size_t m = 0; m < community_.members.size(); ++m)
        csv += "," + std::to_string(i.consumption_wh[m]) + "," + std::to_string(a.allocated_wh[m]) + "," + std::to_string(a.sold_wh[m]);
      csv += "\r\n";
      return;
    }
    rows.push_back({{"start_ms", i.start_ms}, {"production_wh", a.production_wh}, {"consumption_wh", a.consumption_wh},
                    {"local_wh", a.local_wh}, {"grid_wh", a.grid_wh}, {"fed_in_wh", a.fed_in_wh}, {"estimated", i.estimated},
                    {"consumption", i.consumption_wh}, {"production", i.production_wh}, {"allocated", a.allocated_wh},
                    {"grid", a.grid_draw_wh}, {"sold", a.sold_wh}, {"fed_in", a.fed_in_per_wh}});
  });
  if (format == "csv") return csv_response(csv, file_stem(community_, "intervals", span.label) + ".csv");
  json members = json::array();
  for (const auto& m : community_.members) members.push_back(m.id);
  return Response::json({{"period", span.label}, {"members", members}, {"unresolved_intervals", ledger.unresolved_intervals},
                         {"intervals", rows}});
}

namespace {

// One local day of the ledger: the community's figures and each member's, in member order.
struct LedgerDay {
  std::int64_t start_ms, end_ms;
  std::int64_t resolved = 0, production_wh = 0, consumption_wh = 0, local_wh = 0, grid_wh = 0, fed_in_wh = 0;
  std::vector<std::int64_t> consumption, production, allocated, grid, sold;
};

json or_ratio(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? json(static_cast<double>(part) / static_cast<double>(whole)) : json(nullptr);
}

}  // namespace

// The period's intervals summed per local day, from the same ledger as its bills and summary:
// the days add up to the summary to the Wh. A day whose intervals were left out for missing
// data says how many it has resolved of how many.
Response CommunityApi::days(const std::string& label, std::int64_t first_day, std::int64_t from, std::int64_t to,
                            const std::string& format) const {
  const auto& zone = stats_.zone();
  const auto n = community_.members.size();
  std::vector<LedgerDay> days;
  for (auto d = first_day;; ++d) {
    const auto start = local_day_start_ms(d, zone);
    if (start >= to) break;
    const std::vector<std::int64_t> zero(n, 0);
    days.push_back({start, std::min(local_day_start_ms(d + 1, zone), to), 0, 0, 0, 0, 0, 0, zero, zero, zero, zero, zero});
  }
  std::size_t at = 0;
  const auto ledger = run_ledger(community_, store_, stats_, from, to, [&](const LedgerInterval& i) {
    while (i.start_ms >= days[at].end_ms) ++at;
    auto& d = days[at];
    const auto& a = i.allocation;
    ++d.resolved;
    d.production_wh += a.production_wh, d.consumption_wh += a.consumption_wh, d.local_wh += a.local_wh;
    d.grid_wh += a.grid_wh, d.fed_in_wh += a.fed_in_wh;
    for (std::size_t m = 0; m < n; ++m) {
      d.consumption[m] += i.consumption_wh[m], d.production[m] += i.production_wh[m];
      d.allocated[m] += a.allocated_wh[m], d.grid[m] += a.grid_draw_wh[m], d.sold[m] += a.sold_wh[m];
    }
  });
  const auto date_of = [&](const LedgerDay& d) { return local_iso_time(d.start_ms, zone).substr(0, 10); };
  if (format == "csv") {
    std::string csv = "date,intervals,resolved_intervals,production_wh,consumption_wh,local_wh,grid_wh,fed_in_wh";
    for (const auto& m : community_.members)
      csv += "," + m.id + "_consumption_wh," + m.id + "_allocated_wh," + m.id + "_grid_wh," + m.id + "_sold_wh";
    csv += "\r\n";
    for (const auto& d : days) {
      csv += date_of(d) + "," + std::to_string((d.end_ms - d.start_ms) / 900'000) + "," + std::to_string(d.resolved) + "," +
             std::to_string(d.production_wh) + "," + std::to_string(d.consumption_wh) + "," + std::to_string(d.local_wh) + "," +
             std::to_string(d.grid_wh) + "," + std::to_string(d.fed_in_wh);
      for (std::size_t m = 0; m < n; ++m)
        csv += "," + std::to_string(d.consumption[m]) + "," + std::to_string(d.allocated[m]) + "," + std::to_string(d.grid[m]) +
               "," + std::to_string(d.sold[m]);
      csv += "\r\n";
    }
    return csv_response(csv, file_stem(community_, "days", label) + ".csv");
  }
  json rows = json::array();
  for (const auto& d : days)
    rows.push_back({{"date", date_of(d)}, {"start_ms", d.start_ms}, {"end_ms", d.end_ms},
                    {"intervals", (d.end_ms - d.start_ms) / 900'000}, {"resolved_intervals", d.resolved},
                    {"production_wh", d.production_wh}, {"consumption_wh", d.consumption_wh}, {"local_wh", d.local_wh},
                    {"grid_wh", d.grid_wh}, {"fed_in_wh", d.fed_in_wh}, {"self_sufficiency", or_ratio(d.local_wh, d.consumption_wh)},
                    {"consumption", d.consumption}, {"production", d.production}, {"allocated", d.allocated},
                    {"grid", d.grid}, {"sold", d.sold}});
  json members = json::array();
  for (const auto& m : community_.members) members.push_back({{"member", m.id}, {"name", m.name}, {"role", role_name(m.role)}});
  return Response::json({{"period", label}, {"members", members}, {"unresolved_intervals", ledger.unresolved_intervals},
                         {"production_wh", ledger.production_wh}, {"consumption_wh", ledger.consumption_wh},
                         {"local_wh", ledger.local_wh}, {"grid_wh", ledger.grid_wh}, {"fed_in_wh", ledger.fed_in_wh},
                         {"days", rows}});
}

// Production and consumption of today's members now, each meter read as the ledger reads its
// registers (a consumer's import, a producer's production register and its standby draw, a
// prosumer's or storage's both directions). A member whose meter is silent has no figure, and
// then neither have the totals: the view says who is missing rather than showing too little.
Response CommunityApi::now(Request& r) const {
  QueryParams(r).allow_only({});
  const auto now_ms = clock_();
  const auto& zone = stats_.zone();
  json members = json::array();
  std::optional<double> production = 0.0, consumption = 0.0;
  const auto w = [](std::optional<double> v) { return v ? json(*v) : json(nullptr); };
  const auto add = [](std::optional<double>& sum, std::optional<double> w) { sum = sum && w ? std::optional(*sum + *w) : std::nullopt; };
  for (const auto& m : community_.members) {
    if (now_ms < local_day_start_ms(m.from_day, zone) || (m.to_day && now_ms >= local_day_start_ms(*m.to_day + 1, zone))) continue;
    std::optional<double> use = 0.0, made = 0.0;
    for (const auto& meter : m.meters) {
      const auto latest = live_.latest(meter);
      const auto power = [&](Direction d) { return live_power(store_, latest, meter, d, now_ms, offline_after_ms_); };
      if (m.role == MemberRole::consumer) {
        add(use, power(Direction::import_energy));
      } else if (m.role == MemberRole::producer) {
        const auto d = production_direction(store_, meter);
        add(made, power(d));
        if (d == Direction::export_energy) add(use, power(Direction::import_energy));
      } else {
        add(use, power(Direction::import_energy));
        add(made, power(Direction::export_energy));
      }
    }
    add(production, made), add(consumption, use);
    members.push_back({{"member", m.id}, {"name", m.name}, {"role", role_name(m.role)}, {"consumption_w", w(use)},
                       {"production_w", w(made)}});
  }
  std::optional<double> local;
  if (production && consumption) local = std::min(*production, *consumption);
  return Response::json({{"now_ms", now_ms}, {"production_w", w(production)}, {"consumption_w", w(consumption)},
                         {"local_w", w(local)}, {"members", members}});
}

Response CommunityApi::reconcile(Request& r) const {
  QueryParams q(r);
  q.allow_only({"period", "format"});
  const auto& zone = stats_.zone();
  const auto span = read_span(q, community_.period, zone);
  const auto format = format_of(q, false);
  if (community_.references.empty())
    throw HttpError(404, "no meter has the grid operator's data configured; add community_reference = METER: OPERATOR_ID");
  const auto result = meterd::dashboard::reconcile(community_, store_, stats_, span.from, span.to);
  if (format == "csv") return csv_response(reconciliation_csv(result, zone), file_stem(community_, "reconcile", span.label) + ".csv");
  return Response::json(reconciliation_json(result, span.label, zone));
}

}  // namespace meterd::dashboard
