// The energy community's bills and summary over a real store and a real HTTP server: a
// building with a roof PV and three flats through February 2026 (5-minute register readings),
// checked against the Wh the test itself put through the meters.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "community_ledger_cache.hpp"
#include "dashboard_api.hpp"
#include "http_test_client.hpp"
#include "meterd/http/server.hpp"
#include "served_api.hpp"
#include "store_fixture.hpp"

using namespace meterd::dashboard;
using meterd::http::testing::fetch;
using nlohmann::json;

namespace {
constexpr std::int64_t k5Min = 300'000;

// Whole Wh per 5 minutes, so the registers' differences are exact integers.
std::int64_t sun_wh(std::int64_t t, const meterd::TimeZone& zone) {
  const auto local = meterd::seconds_to_civil(zone.utc_to_local(t / 1000));
  const double hour = local.hour + local.minute / 60.0;
  return hour > 7 && hour < 18 ? std::llround(400 * std::sin((hour - 7) / 11 * M_PI)) : 0;
}
std::int64_t flat_wh(int flat, std::int64_t t) { return 10 + 5 * flat + ((t / k5Min) % 7 == flat ? 60 : 0); }

struct Building : meterd::dashboard::testing::ServedApi {
  meterd::dashboard::testing::TempStore t{"community"};
  std::unique_ptr<Statistics> stats;
  std::unique_ptr<AccessControl> access;
  LiveFeed live;
  std::unique_ptr<DashboardApi> api;
  std::int64_t from, to;
  std::map<std::string, std::int64_t> truth;  // each meter's Wh in February

  // `flat3_until`: the last reading of flat 3 (missing data after it); `gap`: flat 2 sends
  // nothing for two hours on 10 February.
  explicit Building(const std::string& kind = "zev", std::int64_t flat3_until = 0, bool gap = false) {
    auto& store = t.open();
    const auto& zone = *t.zone;
    from = meterd::dashboard::testing::zurich_ms(zone, 2026, 2, 1);
    to = meterd::dashboard::testing::zurich_ms(zone, 2026, 3, 1);
    const auto gap_from = meterd::dashboard::testing::zurich_ms(zone, 2026, 2, 10, 11);
    std::map<std::string, std::int64_t> reg{{"PV", 5000}, {"F1", 1000}, {"F2", 2000}, {"F3", 3000}};
    for (std::int64_t x = from; x <= to; x += k5Min) {
      store.add("PV", "active_energy_export", "Wh", {x, static_cast<double>(reg["PV"])});
      store.add("F1", "active_energy_import", "Wh", {x, static_cast<double>(reg["F1"])});
      if (!gap || x < gap_from || x > gap_from + 2 * 3600'000)
        store.add("F2", "active_energy_import", "Wh", {x, static_cast<double>(reg["F2"])});
      if (!flat3_until || x <= flat3_until) store.add("F3", "active_energy_import", "Wh", {x, static_cast<double>(reg["F3"])});
      if (x == to) break;
      const std::int64_t step[] = {sun_wh(x, zone), flat_wh(1, x), flat_wh(2, x), flat_wh(3, x)};
      const char* meters[] = {"PV", "F1", "F2", "F3"};
      for (int i = 0; i < 4; ++i) reg[meters[i]] += step[i], truth[meters[i]] += step[i];
    }
    store.flush();
    Prices prices;
    prices.single = 0.15;
    prices.grid = parse_price_sets("grid_prices", "0.10", {}, zone);
    prices.levies = parse_price_sets("levies", "0.02", {}, zone);
    prices.feed_in = parse_price_sets("feed_in", "0.08", {}, zone);
    prices.vat_percent = 8.1;
    stats = std::make_unique<Statistics>(store, prices);
    access = std::make_unique<AccessControl>(t.dir / "access.sqlite", "s3cret-pass", nullptr);
    meterd::CommunityOptions c;
    c.kind = kind;
    c.name = "Sonnenhof";
    c.members = {"roof: name=Roof PV; meters=PV; role=producer; from=2026-01-01; tenant=no",
                 "flat1: name=Flat 1 (Meier); meters=F1; role=consumer; from=2026-01-01",
                 "flat2: name=Flat 2; meters=F2; role=consumer; from=2026-01-01",
                 "flat3: name=Flat 3 <Keller & Co>; meters=F3; role=consumer; from=2026-02-15",
                 "flat3old: name=Flat 3 (Huber, moved out); meters=F3; role=consumer; from=2026-01-01; to=2026-02-14"};
    c.terms.solar_price = 0.2;
    c.terms.fixed_fee_per_month = 4;
    c.lowest_external_price = 0.27;
    ApiOptions options;
    options.secure_cookies = false;
    options.community = meterd::make_community(c);
    api = std::make_unique<DashboardApi>(store, *stats, *access, live, options, [this] { return to + 3600'000; });
    serve(*api);
  }
  json answer(const std::string& target) {
    const auto r = get(target);
    EXPECT_EQ(r.status, 200) << target << r.body;
    return json::parse(r.body);
  }
};

// The Wh the meters counted while flat 3 was a member (from 15 February).
std::int64_t flat3_truth(const Building& b) {
  const auto start = meterd::dashboard::testing::zurich_ms(*b.t.zone, 2026, 2, 15);
  std::int64_t wh = 0;
  for (std::int64_t x = start; x < b.to; x += k5Min) wh += flat_wh(3, x);
  return wh;
}
}  // namespace

TEST(CommunityApi, TheMonthBalancesToTheWhOfTheMeters) {
  Building b;
  const auto s = b.answer("/api/community/summary?period=2026-02");
  EXPECT_TRUE(s["complete"].get<bool>()) << s.dump();
  EXPECT_EQ(s["intervals"], 28 * 96);
  EXPECT_EQ(s["production_wh"].get<std::int64_t>(), b.truth["PV"]);
  const auto consumption = b.truth["F1"] + b.truth["F2"] + b.truth["F3"];  // flat 3's two tenants in turn
  EXPECT_EQ(s["consumption_wh"].get<std::int64_t>(), consumption);
  const std::int64_t local = s["local_wh"], grid = s["grid_wh"], fed = s["fed_in_wh"];
  EXPECT_EQ(s["production_wh"].get<std::int64_t>(), local + fed);
  EXPECT_EQ(consumption, local + grid);
  EXPECT_GT(local, 0);
  EXPECT_GT(fed, 0);
  std::int64_t allocated = 0, sold = 0;
  for (const auto& m : s["members"]) allocated += m["allocated_wh"].get<std::int64_t>(), sold += m["sold_wh"].get<std::int64_t>();
  EXPECT_EQ(allocated, local);
  EXPECT_EQ(sold, local);
  EXPECT_EQ(s["members"][1]["consumption_wh"].get<std::int64_t>(), b.truth["F1"]);
  EXPECT_EQ(s["members"][3]["consumption_wh"].get<std::int64_t>(), flat3_truth(b));
  EXPECT_EQ(s["members"][4]["consumption_wh"].get<std::int64_t>(), b.truth["F3"] - flat3_truth(b));
  EXPECT_NEAR(s["self_sufficiency"].get<double>(), static_cast<double>(local) / static_cast<double>(consumption), 1e-12);
}

TEST(CommunityApi, ABillIsItemisedAndAddsUp) {
  Building b;
  const auto bill = b.answer("/api/community/bill?member=flat1&period=2026-02");
  EXPECT_TRUE(bill["complete"].get<bool>()) << bill.dump();
  const auto& lines = bill["lines"];
  ASSERT_EQ(lines.size(), 5u) << bill.dump();
  EXPECT_EQ(lines[0]["item"], "Local solar energy");
  const double local_kwh = bill["energy"]["allocated_wh"].get<double>() / 1000;
  EXPECT_NEAR(lines[0]["amount"].get<double>(), std::round(local_kwh * 0.2 * 100) / 100, 1e-9);
  const double grid_kwh = bill["energy"]["grid_wh"].get<double>() / 1000;
  EXPECT_EQ(lines[1]["item"], "Grid energy");
  EXPECT_NEAR(lines[1]["amount"].get<double>(), std::round(grid_kwh * 0.15 * 100) / 100, 0.011);
  EXPECT_NEAR(lines[2]["amount"].get<double>(), std::round(grid_kwh * 0.10 * 100) / 100, 0.011);
  EXPECT_NEAR(lines[3]["amount"].get<double>(), std::round(grid_kwh * 0.02 * 100) / 100, 0.011);
  EXPECT_NEAR(lines[4]["amount"].get<double>(), 4.0, 1e-9);  // a whole month's fee
  double subtotal = 0;
  for (const auto& l : lines) subtotal += l["amount"].get<double>();
  EXPECT_NEAR(bill["subtotal"].get<double>(), subtotal, 1e-9);
  EXPECT_NEAR(bill["vat"].get<double>(), std::round(subtotal * 8.1) / 100, 1e-9);
  EXPECT_NEAR(bill["total"].get<double>(), bill["subtotal"].get<double>() + bill["vat"].get<double>(), 1e-9);
  EXPECT_EQ(bill["energy"]["consumption_wh"].get<std::int64_t>(),
            bill["energy"]["allocated_wh"].get<std::int64_t>() + bill["energy"]["grid_wh"].get<std::int64_t>());
  // The producer's credits: what it sold at the internal price, what it fed in at the feed-in tariff.
  const auto roof = b.answer("/api/community/bill?member=roof&period=2026-02");
  ASSERT_EQ(roof["credits"].size(), 2u);
  for (const auto& l : roof["lines"]) EXPECT_EQ(l["item"].get<std::string>().find("Community fee"), std::string::npos) << "a producer pays no fee";
  EXPECT_NEAR(roof["credits"][0]["amount"].get<double>(), std::round(roof["energy"]["sold_wh"].get<double>() * 0.02) / 100, 1e-9);
  EXPECT_NEAR(roof["credits"][1]["amount"].get<double>(), std::round(roof["energy"]["fed_in_wh"].get<double>() * 0.008) / 100, 0.011);
  // Flat 3 joined on 15 February: 14 days of the fee, 14 days of intervals.
  const auto flat3 = b.answer("/api/community/bill?member=flat3&period=2026-02");
  EXPECT_EQ(flat3["energy"]["intervals"], 14 * 96);
  EXPECT_NEAR(flat3["lines"][4]["amount"].get<double>(), 2.0, 1e-9);
}

TEST(CommunityApi, ARerunGivesTheSameBytesInEveryFormat) {
  Building b;
  for (const std::string target : {"/api/community/bill?member=flat3&period=2026-02&format=html",
                                   "/api/community/bill?member=flat3&period=2026-02&format=csv",
                                   "/api/community/bill?member=roof&period=2026-02",
                                   "/api/community/summary?period=2026-02&format=html",
                                   "/api/community/summary?period=2026-02&format=csv",
                                   "/api/community/intervals?period=2026-02&format=csv"}) {
    const auto first = b.get(target), second = b.get(target);
    EXPECT_EQ(first.status, 200) << target << first.body;
    EXPECT_EQ(first.body, second.body) << target;
  }
  const auto html = b.get("/api/community/bill?member=flat3&period=2026-02&format=html");
  EXPECT_NE(html.header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(html.body.find("@media print"), std::string::npos);
  EXPECT_NE(html.body.find("Flat 3 &lt;Keller &amp; Co&gt;"), std::string::npos) << "names are escaped";
  EXPECT_EQ(html.body.find("<script"), std::string::npos);
  const auto csv = b.get("/api/community/bill?member=flat1&period=2026-02&format=csv");
  EXPECT_EQ(csv.body.rfind("section,item,kwh,unit_price_CHF,amount_CHF\r\n", 0), 0u) << csv.body;
}

TEST(CommunityApi, MissingDataIsFlaggedNeverInvented) {
  const auto& zone = *meterd::TimeZone::load("Europe/Zurich");
  const auto last = meterd::dashboard::testing::zurich_ms(zone, 2026, 2, 20);
  Building b("zev", last);
  const auto flat3 = b.answer("/api/community/bill?member=flat3&period=2026-02");
  EXPECT_FALSE(flat3["complete"].get<bool>());
  const auto missing = flat3["energy"]["missing_intervals"].get<std::int64_t>();
  EXPECT_EQ(missing, 9 * 96);  // 20 to 28 February
  EXPECT_NE(flat3["notes"][0].get<std::string>().find("Not final"), std::string::npos);
  EXPECT_NE(flat3.dump().find("have no data from this member's meters"), std::string::npos);
  // What was measured is billed, nothing more: 15 to 19 February.
  std::int64_t measured = 0;
  for (std::int64_t x = meterd::dashboard::testing::zurich_ms(zone, 2026, 2, 15); x < last; x += k5Min) measured += flat_wh(3, x);
  EXPECT_EQ(flat3["energy"]["consumption_wh"].get<std::int64_t>(), measured);
  // The others' bills leave the same intervals out, and say why.
  const auto flat1 = b.answer("/api/community/bill?member=flat1&period=2026-02");
  EXPECT_FALSE(flat1["complete"].get<bool>());
  EXPECT_NE(flat1.dump().find("another member's meters have no data"), std::string::npos);
  const auto s = b.answer("/api/community/summary?period=2026-02");
  EXPECT_EQ(s["unresolved_intervals"].get<std::int64_t>(), missing);
  EXPECT_FALSE(s["complete"].get<bool>());
  EXPECT_EQ(s["production_wh"].get<std::int64_t>(), s["local_wh"].get<std::int64_t>() + s["fed_in_wh"].get<std::int64_t>());
}

// The period's ledger is computed once and shared by the bills, until the store changes: the
// readings of flat 3's missing days, stored after its bill was asked, complete the next bill.
TEST(CommunityApi, ReadingsStoredAfterABillWasAskedCompleteTheNextOne) {
  const auto& zone = *meterd::TimeZone::load("Europe/Zurich");
  const auto last = meterd::dashboard::testing::zurich_ms(zone, 2026, 2, 20);
  Building b("zev", last);
  EXPECT_FALSE(b.answer("/api/community/bill?member=flat3&period=2026-02")["complete"].get<bool>());
  EXPECT_FALSE(b.answer("/api/community/bill?member=flat1&period=2026-02")["complete"].get<bool>());
  std::int64_t reg = 3000;
  for (std::int64_t x = b.from; x <= b.to; x += k5Min) {
    if (x > last) b.t.store->add("F3", "active_energy_import", "Wh", {x, static_cast<double>(reg)});
    reg += flat_wh(3, x);
  }
  b.t.store->flush();
  const auto flat3 = b.answer("/api/community/bill?member=flat3&period=2026-02");
  EXPECT_TRUE(flat3["complete"].get<bool>()) << flat3.dump();
  EXPECT_EQ(flat3["energy"]["consumption_wh"].get<std::int64_t>(), flat3_truth(b));
  EXPECT_TRUE(b.answer("/api/community/summary?period=2026-02")["complete"].get<bool>());
}

TEST(CommunityApi, AGapInTheReadingsIsEstimatedAndSaidSo) {
  Building b("zev", 0, true);
  const auto flat2 = b.answer("/api/community/bill?member=flat2&period=2026-02");
  EXPECT_TRUE(flat2["complete"].get<bool>()) << flat2.dump();
  EXPECT_GE(flat2["energy"]["estimated_intervals"].get<std::int64_t>(), 8);
  EXPECT_EQ(flat2["energy"]["consumption_wh"].get<std::int64_t>(), b.truth["F2"]);
  EXPECT_NE(flat2.dump().find("are estimated: spread linearly over a gap"), std::string::npos);
}

TEST(CommunityApi, ALegBillsTheDiscountedGridUsageOfLocalEnergy) {
  Building b("leg");
  const auto bill = b.answer("/api/community/bill?member=flat1&period=2026-02");
  const auto& lines = bill["lines"];
  ASSERT_EQ(lines.size(), 7u) << bill.dump();
  EXPECT_EQ(lines[1]["item"], "Grid usage for local energy (40 % off, StromVV Art. 19h)");
  const double local_kwh = bill["energy"]["allocated_wh"].get<double>() / 1000;
  EXPECT_NEAR(lines[1]["amount"].get<double>(), std::round(local_kwh * 0.10 * 0.6 * 100) / 100, 0.011);
  EXPECT_NEAR(lines[1]["unit_price"].get<double>(), 0.06, 1e-4);
  EXPECT_EQ(lines[2]["item"], "Levies on local energy");
}

TEST(CommunityApi, OnlyTheAdminSeesTheCommunityAndBadQuestionsAreRefused) {
  Building b;
  EXPECT_EQ(b.get("/api/community/bill?member=flat1&period=2026-02", false).status, 401);
  EXPECT_EQ(b.get("/api/community/summary?period=2026-02", false).status, 401);
  EXPECT_EQ(b.get("/api/community", false).status, 401);
  // A share link, even one for the member's own meter, reaches no community answer.
  auto r = fetch(b.server->port(), "POST", "/api/admin/shares", {{"Content-Type", "application/json"}, {"Cookie", b.cookie}},
                 R"({"meters":["F1"],"from":"2026-02-01","to":"2026-03-01","detail":"full"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string token = json::parse(r.body)["token"];
  EXPECT_EQ(b.get("/s/" + token + "/api/community", false).status, 404);
  EXPECT_EQ(b.get("/s/" + token + "/api/community/bill?member=flat1&period=2026-02", false).status, 404);
  const auto bad = b.get("/api/community/bill?member=flat1&period=2026-Q1");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("the community bills by month, write YYYY-MM, e.g. 2026-03"), std::string::npos) << bad.body;
  EXPECT_EQ(b.get("/api/community/bill?member=nobody&period=2026-02").status, 404);
  const auto early = b.get("/api/community/bill?member=flat3&period=2026-01");
  EXPECT_EQ(early.status, 404);
  EXPECT_NE(early.body.find("was not a member in 2026-01"), std::string::npos) << early.body;
  const auto config = b.answer("/api/community");
  EXPECT_EQ(config["kind"], "zev");
  EXPECT_EQ(config["members"].size(), 5u);
}

// Each member gets a link from the operator (in bulk) that shows its own bill and nothing of
// the others: not another member's bill, not the summary, not the intervals; and the next
// tenant on the same meter does not see the previous one's bill, nor the reverse.
TEST(CommunityApi, AMembersLinkShowsItsOwnBillOnly) {
  Building b;
  const auto r = fetch(b.server->port(), "POST", "/api/community/shares", {{"Content-Type", "application/json"}, {"Cookie", b.cookie}}, "{}");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto links = json::parse(r.body)["shares"];
  ASSERT_EQ(links.size(), 5u);
  EXPECT_EQ(fetch(b.server->port(), "POST", "/api/community/shares", {{"Content-Type", "application/json"}}, "{}").status, 401);
  const std::vector<std::string> ids{"roof", "flat1", "flat2", "flat3", "flat3old"};
  for (const auto& link : links) {
    const std::string own = link["member"], token = link["token"];
    const auto base = "/s/" + token + "/api/";
    const auto mine = b.get(base + "community-bill?period=2026-02", false);
    ASSERT_EQ(mine.status, 200) << own << mine.body;
    const auto bill = json::parse(mine.body);
    EXPECT_EQ(bill["member"], own);
    // The same bill the operator gets.
    EXPECT_EQ(bill, b.answer("/api/community/bill?member=" + own + "&period=2026-02")) << own;
    for (const auto& other : ids) {
      if (other == own) continue;
      const auto theirs = b.get(base + "community-bill?period=2026-02&member=" + other, false);
      EXPECT_EQ(theirs.status, 404) << own << " asked for " << other << ": " << theirs.body;
      EXPECT_EQ(theirs.body.find("consumption_wh"), std::string::npos);
    }
    EXPECT_EQ(b.get(base + "community-bill?period=2026-02&member=nobody", false).status, 404);
    for (const std::string path : {"community", "community/summary?period=2026-02", "community/intervals?period=2026-02",
                                   "community/bill?member=flat1&period=2026-02"})
      EXPECT_EQ(b.get(base + path, false).status, 404) << own << " " << path;
  }
  // The tenant who moved out on 14 February sees January, the one who moved in does not.
  const auto& old_token = links[4]["token"].get<std::string>();
  const auto& new_token = links[3]["token"].get<std::string>();
  EXPECT_EQ(b.get("/s/" + old_token + "/api/community-bill?period=2026-01", false).status, 200);
  EXPECT_EQ(b.get("/s/" + new_token + "/api/community-bill?period=2026-01", false).status, 404);
}

// A municipality's operator fetches 2,000 bills of last month while this month's readings keep
// arriving: last month's ledger is made once and kept, as none of those readings can alter
// it. A late reading inside the month, or a retention pass, makes it again; this month's
// ledger is made again after every reading.
TEST(CommunityLedgerCache, AClosedMonthIsKeptWhileLaterReadingsArriveNotAfterOneInsideIt) {
  meterd::dashboard::testing::TempStore t("ledger-cache");
  auto& store = t.open();
  constexpr std::int64_t kMonth = 30 * 86'400'000LL, kStart = 1'780'000'000'000;
  std::int64_t at = kStart, wh = 1000;
  const auto read = [&] { store.add("FLAT-1", "active_energy_import", "Wh", {at, static_cast<double>(wh++)}); at += 900'000; };
  while (at < kStart + kMonth + 86'400'000) read();
  store.flush();
  CommunityLedgerCache cache;
  const CommunityLedgerCache::Changes changes{[&] { return store.mark(); },
                                              [&](std::uint64_t m) { return store.changed_from(m); }};
  int made = 0;
  const auto make = [&] { ++made; return CommunityLedger{}; };
  const auto last_month = [&] { return cache.get(kStart, kStart + kMonth, changes, make); };
  const auto this_month = [&] { return cache.get(kStart + kMonth, kStart + 2 * kMonth, changes, make); };
  const auto first = last_month();
  for (int bill = 0; bill < 50; ++bill) {
    read();
    store.flush();
    EXPECT_EQ(last_month(), first) << bill;
  }
  EXPECT_EQ(made, 1);
  this_month();
  read();
  store.flush();
  this_month();
  EXPECT_EQ(made, 3);
  store.add("FLAT-1", "active_energy_import", "Wh", {kStart + 450'000, 1000.5});  // late, inside last month
  store.flush();
  EXPECT_NE(last_month(), first);
  EXPECT_EQ(made, 4);
  const auto again = last_month();
  store.enforce_retention(at);
  EXPECT_NE(last_month(), again);
  EXPECT_EQ(made, 5);
}

// The operator's view charts the allocation per day: the days of a month, from the same
// ledger as the bills, add up to the month's summary to the Wh, in total and per member; a
// day with intervals left out for missing data says so.
TEST(CommunityApi, TheDaysAddUpToTheMonthsSummaryToTheWh) {
  for (const bool missing : {false, true}) {
    const auto zone = meterd::TimeZone::load("Europe/Zurich");
    Building b("zev", missing ? meterd::dashboard::testing::zurich_ms(*zone, 2026, 2, 20, 9) : 0);
    const auto s = b.answer("/api/community/summary?period=2026-02");
    const auto d = b.answer("/api/community/intervals?period=2026-02&group=day");
    ASSERT_EQ(d["days"].size(), 28u);
    EXPECT_EQ(d["days"][0]["date"], "2026-02-01");
    EXPECT_EQ(d["days"][27]["date"], "2026-02-28");
    EXPECT_EQ(d["unresolved_intervals"], s["unresolved_intervals"]);
    const std::size_t n = s["members"].size();
    std::map<std::string, std::int64_t> sum;
    std::vector<std::int64_t> consumption(n), allocated(n), grid(n), sold(n);
    std::int64_t resolved = 0;
    for (const auto& day : d["days"]) {
      for (const char* k : {"production_wh", "consumption_wh", "local_wh", "grid_wh", "fed_in_wh"}) sum[k] += day[k].get<std::int64_t>();
      resolved += day["resolved_intervals"].get<std::int64_t>();
      EXPECT_EQ(day["intervals"], 96);
      for (std::size_t m = 0; m < n; ++m) {
        consumption[m] += day["consumption"][m].get<std::int64_t>(), allocated[m] += day["allocated"][m].get<std::int64_t>();
        grid[m] += day["grid"][m].get<std::int64_t>(), sold[m] += day["sold"][m].get<std::int64_t>();
      }
    }
    for (const char* k : {"production_wh", "consumption_wh", "local_wh", "grid_wh", "fed_in_wh"}) {
      EXPECT_EQ(sum[k], s[k].get<std::int64_t>()) << k << " missing=" << missing;
      EXPECT_EQ(d[k], s[k]) << k;
    }
    EXPECT_EQ(resolved, 28 * 96 - s["unresolved_intervals"].get<std::int64_t>());
    EXPECT_EQ(missing, s["unresolved_intervals"].get<std::int64_t>() > 0);
    for (std::size_t m = 0; m < n; ++m) {
      const auto& member = s["members"][m];
      EXPECT_EQ(consumption[m], member["consumption_wh"].get<std::int64_t>()) << m;
      EXPECT_EQ(allocated[m], member["allocated_wh"].get<std::int64_t>()) << m;
      EXPECT_EQ(sold[m], member["sold_wh"].get<std::int64_t>()) << m;
      EXPECT_EQ(consumption[m] - allocated[m], grid[m]) << m;
    }
    // Flat 1's first day, its consumption the test's own Wh.
    std::int64_t flat1_day1 = 0;
    for (auto x = b.from; x < b.from + 86'400'000; x += k5Min) flat1_day1 += flat_wh(1, x);
    EXPECT_EQ(d["days"][0]["consumption"][1], flat1_day1);
    if (missing) {
      EXPECT_EQ(d["days"][18]["resolved_intervals"], 96);
      EXPECT_LT(d["days"][19]["resolved_intervals"].get<std::int64_t>(), 96);
      EXPECT_EQ(d["days"][27]["resolved_intervals"], 0);
    }
    const auto csv = b.get("/api/community/intervals?period=2026-02&group=day&format=csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.body.rfind("date,intervals,resolved_intervals,production_wh", 0), 0u) << csv.body.substr(0, 200);
    EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 29);
  }
}

// Live production and consumption of today's members, from the live feed; a silent meter
// leaves the totals open rather than too low. Neither the days nor the live figures reach a
// share link or a visitor without a session.
TEST(CommunityApi, TheLiveFlowsAreTheOperatorsOnly) {
  Building b;
  const auto now = b.to + 3600'000;
  b.live.publish("PV", now - 1000, {{"active_power_export", 3.2, "kW", 0}});
  b.live.publish("F1", now - 1000, {{"active_power_import", 800, "W", 0}});
  b.live.publish("F2", now - 1000, {{"active_power_import", 450, "W", 0}});
  b.live.publish("F3", now - 120'000, {{"active_power_import", 1.5, "kW", 0}});  // silent for two minutes
  auto n = b.answer("/api/community/now");
  // The PV meter measures no import (no standby draw): 0; flat 3 is offline: no total.
  EXPECT_DOUBLE_EQ(n["production_w"].get<double>(), 3200) << n.dump();
  EXPECT_TRUE(n["consumption_w"].is_null());
  EXPECT_TRUE(n["local_w"].is_null());
  EXPECT_TRUE(n["members"][3]["consumption_w"].is_null());
  b.live.publish("F3", now - 1000, {{"active_power_import", 1.5, "kW", 0}});
  n = b.answer("/api/community/now");
  ASSERT_EQ(n["members"].size(), 4u);  // the tenant who moved out is no longer a member
  EXPECT_DOUBLE_EQ(n["production_w"].get<double>(), 3200);
  EXPECT_DOUBLE_EQ(n["consumption_w"].get<double>(), 800 + 450 + 1500);
  EXPECT_DOUBLE_EQ(n["local_w"].get<double>(), 2750);
  EXPECT_EQ(n["members"][3]["member"], "flat3");
  EXPECT_DOUBLE_EQ(n["members"][3]["consumption_w"].get<double>(), 1500);
  EXPECT_EQ(b.get("/api/community/now", false).status, 401);
  EXPECT_EQ(b.get("/api/community/intervals?period=2026-02&group=day", false).status, 401);
  EXPECT_EQ(b.get("/api/community/intervals?period=2026-02&group=week").status, 400);
  const auto r = fetch(b.server->port(), "POST", "/api/community/shares", {{"Content-Type", "application/json"}, {"Cookie", b.cookie}},
                       R"({"members":["flat1"]})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string token = json::parse(r.body)["shares"][0]["token"];
  for (const std::string path : {"community/now", "community/intervals?period=2026-02&group=day"}) {
    const auto reply = b.get("/s/" + token + "/api/" + path, false);
    EXPECT_EQ(reply.status, 404) << path;
    EXPECT_EQ(reply.body.find("_w\""), std::string::npos);
  }
}
