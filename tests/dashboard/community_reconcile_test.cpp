// Reconciling the community's figures with the grid operator's 15-min data, over a real store
// and a real HTTP server: a roof PV and two flats with 5-minute register readings, and the
// operator's values of the same meters imported as 15-min intervals in kWh under ids of their
// own. The operator's values start as what the meters really counted; each test changes,
// drops or leaves out what it checks.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "dashboard_api.hpp"
#include "served_api.hpp"
#include "store_fixture.hpp"

using namespace meterd::dashboard;
using meterd::dashboard::testing::zurich_ms;
using nlohmann::json;

namespace {
constexpr std::int64_t k5Min = 300'000, kQuarter = 900'000, kHour = 3'600'000;

std::int64_t pv_wh(std::int64_t t, const meterd::TimeZone& zone) {
  const auto local = meterd::seconds_to_civil(zone.utc_to_local(t / 1000));
  const double hour = local.hour + local.minute / 60.0;
  return hour > 8 && hour < 17 ? 150 : 0;
}
std::int64_t flat_wh(int flat, std::int64_t t) { return 10 + 5 * flat + ((t / k5Min) % 7 == flat ? 60 : 0); }

struct Options {
  int year = 2026, month = 2;
  std::int64_t f1_gap_from = 0;  // flat 1's meter sends nothing for two hours from here
  std::int64_t f2_until = 0;     // flat 2's meter sends nothing after this
  double tolerance_wh = 1;
  bool references = true;
};

struct Estate : meterd::dashboard::testing::ServedApi {
  meterd::dashboard::testing::TempStore t{"reconcile"};
  Options o;
  std::int64_t from = 0, to = 0;
  // What each meter counted per 15-min interval: the operator's values until a test edits them.
  std::map<std::string, std::map<std::int64_t, double>> operator_wh;
  std::unique_ptr<Statistics> stats;
  std::unique_ptr<AccessControl> access;
  LiveFeed live;
  std::unique_ptr<DashboardApi> api;

  explicit Estate(Options options = {}) : o(options) {
    auto& store = t.open();
    const auto& zone = *t.zone;
    from = zurich_ms(zone, o.year, o.month, 1);
    to = zurich_ms(zone, o.year + o.month / 12, o.month % 12 + 1, 1);
    std::map<std::string, std::int64_t> reg{{"PV", 5000}, {"F1", 1000}, {"F2", 2000}};
    for (std::int64_t x = from; x <= to; x += k5Min) {
      store.add("PV", "active_energy_export", "Wh", {x, static_cast<double>(reg["PV"])});
      if (!o.f1_gap_from || x < o.f1_gap_from || x > o.f1_gap_from + 2 * kHour)
        store.add("F1", "active_energy_import", "Wh", {x, static_cast<double>(reg["F1"])});
      if (!o.f2_until || x <= o.f2_until) store.add("F2", "active_energy_import", "Wh", {x, static_cast<double>(reg["F2"])});
      if (x == to) break;
      const std::int64_t quarter = x - (x - from) % kQuarter;
      const std::pair<const char*, std::int64_t> steps[] = {{"PV", pv_wh(x, zone)}, {"F1", flat_wh(1, x)}, {"F2", flat_wh(2, x)}};
      for (const auto& [meter, wh] : steps) reg[meter] += wh, operator_wh[meter][quarter] += static_cast<double>(wh);
    }
    store.flush();
  }

  // Imports the operator's values as the ekz_history source hands them to the dashboard sink
  // (kWh per interval), then serves the API.
  void start() {
    auto& store = *t.store;
    for (const auto& [meter, values] : operator_wh)
      for (const auto& [start, wh] : values)
        store.add_interval("OP-" + meter, meter == "PV" ? "active_energy_export" : "active_energy_import", "kWh", start,
                           start + kQuarter, wh / 1000, "");
    store.flush();
    const auto& zone = *t.zone;
    Prices prices;
    prices.single = 0.15;
    prices.grid = parse_price_sets("grid_prices", "0.10", {}, zone);
    stats = std::make_unique<Statistics>(store, prices);
    access = std::make_unique<AccessControl>(t.dir / "access.sqlite", "s3cret-pass", nullptr);
    meterd::CommunityOptions c;
    c.kind = "zev";
    c.name = "Sonnenhof";
    c.members = {"roof: name=Roof PV; meters=PV; role=producer; from=2026-01-01; tenant=no",
                 "flat1: name=Flat 1; meters=F1; role=consumer; from=2026-01-01",
                 "flat2: name=Flat 2; meters=F2; role=consumer; from=2026-01-01"};
    if (o.references) c.references = {"PV: OP-PV", "F1: OP-F1", "F2: OP-F2"};
    c.reconcile_tolerance_wh = o.tolerance_wh;
    c.terms.solar_price = 0.2;
    c.lowest_external_price = 0.25;
    ApiOptions options;
    options.secure_cookies = false;
    options.community = meterd::make_community(c);
    api = std::make_unique<DashboardApi>(store, *stats, *access, live, options, [this] { return to + kHour; });
    serve(*api);
  }
  json reconcile(const std::string& period) {
    const auto r = get("/api/community/reconcile?period=" + period);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }
};

const json& meter_of(const json& answer, const std::string& meter) {
  for (const auto& m : answer["meters"])
    if (m["meter"] == meter) return m;
  ADD_FAILURE() << "no meter " << meter << " in " << answer.dump();
  static const json none;
  return none;
}

std::int64_t count_of(const json& m, const char* key) { return m[key].get<std::int64_t>(); }
}  // namespace

TEST(CommunityReconcile, OperatorDataThatMatchesListsNoInterval) {
  Estate e;
  e.start();
  const auto r = e.reconcile("2026-02");
  ASSERT_EQ(r["meters"].size(), 3u) << r.dump();
  EXPECT_EQ(r["without_reference"], json::array());
  EXPECT_EQ(r["tolerance_wh"], 1.0);
  for (const char* meter : {"PV", "F1", "F2"}) {
    const auto& m = meter_of(r, meter);
    EXPECT_EQ(m["operator_meter"], std::string("OP-") + meter);
    EXPECT_EQ(count_of(m, "intervals"), 28 * 96) << meter;
    EXPECT_EQ(count_of(m, "compared"), 28 * 96) << meter;
    EXPECT_EQ(count_of(m, "differing"), 0) << meter;
    EXPECT_EQ(count_of(m, "missing_operator") + count_of(m, "missing_meterd") + count_of(m, "estimated"), 0) << meter;
    EXPECT_EQ(m["listed"], json::array()) << meter;
    EXPECT_EQ(m["difference_wh"].get<double>(), 0.0) << meter;
    double truth = 0;
    for (const auto& [start, wh] : e.operator_wh[meter]) truth += wh;
    EXPECT_EQ(m["meterd_wh"].get<double>(), truth) << meter;
    EXPECT_EQ(m["operator_wh"].get<double>(), truth) << meter;
  }
  EXPECT_EQ(meter_of(r, "PV")["quantity"], "active_energy_export");
  EXPECT_EQ(meter_of(r, "F1")["quantity"], "active_energy_import");
}

TEST(CommunityReconcile, ChangedIntervalsAreListedWithTheirDifference) {
  Estate e;
  const auto& zone = *e.t.zone;
  const auto a = zurich_ms(zone, 2026, 2, 3, 7, 15), b = zurich_ms(zone, 2026, 2, 17, 12), c = zurich_ms(zone, 2026, 2, 28, 23, 45);
  const auto within = zurich_ms(zone, 2026, 2, 9, 9);
  const double a_was = e.operator_wh["F1"][a], b_was = e.operator_wh["PV"][b];
  e.operator_wh["F1"][a] += 5;      // the operator counted 5 Wh more
  e.operator_wh["F1"][c] -= 120;    // 120 Wh less
  e.operator_wh["F1"][within] += 1; // within the tolerance of 1 Wh: no difference
  e.operator_wh["PV"][b] += 1.5;
  e.start();
  const auto r = e.reconcile("2026-02");
  const auto& f1 = meter_of(r, "F1");
  ASSERT_EQ(f1["listed"].size(), 2u) << f1.dump();
  EXPECT_EQ(f1["listed"][0]["start"], "2026-02-03T07:15:00+01:00");
  EXPECT_EQ(f1["listed"][0]["start_ms"], a);
  EXPECT_EQ(f1["listed"][0]["status"], "differs");
  EXPECT_EQ(f1["listed"][0]["meterd_wh"].get<double>(), a_was);
  EXPECT_EQ(f1["listed"][0]["operator_wh"].get<double>(), a_was + 5);
  EXPECT_EQ(f1["listed"][0]["difference_wh"].get<double>(), -5.0);
  EXPECT_FALSE(f1["listed"][0]["estimated"].get<bool>());
  EXPECT_EQ(f1["listed"][1]["start"], "2026-02-28T23:45:00+01:00");
  EXPECT_EQ(f1["listed"][1]["difference_wh"].get<double>(), 120.0);
  EXPECT_EQ(count_of(f1, "differing"), 2);
  EXPECT_EQ(count_of(f1, "compared"), 28 * 96);
  EXPECT_EQ(f1["difference_wh"].get<double>(), -5.0 + 120 - 1);  // every compared interval's difference
  const auto& pv = meter_of(r, "PV");
  ASSERT_EQ(pv["listed"].size(), 1u) << pv.dump();
  EXPECT_EQ(pv["listed"][0]["start_ms"], b);
  EXPECT_EQ(pv["listed"][0]["operator_wh"].get<double>(), b_was + 1.5);
  EXPECT_EQ(pv["listed"][0]["difference_wh"].get<double>(), -1.5);
  EXPECT_EQ(meter_of(r, "F2")["listed"], json::array());
  // The same as CSV: the listed intervals, then a total per meter.
  const auto csv = e.get("/api/community/reconcile?period=2026-02&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.body.rfind("member,meter,operator_meter,quantity,start [Europe/Zurich],status,meterd [Wh],operator [Wh],"
                           "difference [Wh],estimated\r\n", 0), 0u) << csv.body;
  EXPECT_NE(csv.body.find("flat1,F1,OP-F1,active_energy_import,2026-02-28T23:45:00+01:00,differs,"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("flat1,F1,OP-F1,active_energy_import,,total,"), std::string::npos) << csv.body;
  EXPECT_EQ(csv.body, e.get("/api/community/reconcile?period=2026-02&format=csv").body) << "a rerun gives the same bytes";
}

TEST(CommunityReconcile, AToleranceOfZeroListsEveryWh) {
  Options o;
  o.tolerance_wh = 0;
  Estate e(o);
  const auto at = zurich_ms(*e.t.zone, 2026, 2, 9, 9);
  e.operator_wh["F1"][at] += 1;
  e.start();
  const auto r = e.reconcile("2026-02");
  const auto& f1 = meter_of(r, "F1");
  ASSERT_EQ(f1["listed"].size(), 1u) << f1.dump();
  EXPECT_EQ(f1["listed"][0]["start_ms"], at);
  EXPECT_EQ(f1["listed"][0]["difference_wh"].get<double>(), -1.0);
}

TEST(CommunityReconcile, MissingOperatorIntervalsAndMeterdGapsAreReported) {
  const auto zone = meterd::TimeZone::load("Europe/Zurich");
  Options o;
  o.f1_gap_from = zurich_ms(*zone, 2026, 2, 10, 11);
  o.f2_until = zurich_ms(*zone, 2026, 2, 27);
  Estate e(o);
  const auto gone1 = zurich_ms(*zone, 2026, 2, 5, 10), gone2 = gone1 + kQuarter;
  const double counted = e.operator_wh["F2"][gone1];
  e.operator_wh["F2"].erase(gone1);
  e.operator_wh["F2"].erase(gone2);
  e.start();
  const auto r = e.reconcile("2026-02");
  // Flat 2: two intervals the operator lacks, the last two days meterd lacks.
  const auto& f2 = meter_of(r, "F2");
  EXPECT_EQ(count_of(f2, "missing_operator"), 2);
  EXPECT_EQ(count_of(f2, "missing_meterd"), 2 * 96);
  EXPECT_EQ(count_of(f2, "compared"), 28 * 96 - 2 - 2 * 96);
  EXPECT_EQ(count_of(f2, "differing"), 0);
  ASSERT_EQ(f2["listed"].size(), 2u + 2 * 96);
  EXPECT_EQ(f2["listed"][0]["start_ms"], gone1);
  EXPECT_EQ(f2["listed"][0]["status"], "missing_operator");
  EXPECT_TRUE(f2["listed"][0]["operator_wh"].is_null());
  EXPECT_TRUE(f2["listed"][0]["difference_wh"].is_null());
  EXPECT_EQ(f2["listed"][0]["meterd_wh"].get<double>(), counted);
  EXPECT_EQ(f2["listed"][1]["start_ms"], gone2);
  EXPECT_EQ(f2["listed"][2]["status"], "missing_meterd");
  EXPECT_EQ(f2["listed"][2]["start"], "2026-02-27T00:00:00+01:00");
  EXPECT_TRUE(f2["listed"][2]["meterd_wh"].is_null());
  EXPECT_FALSE(f2["listed"][2]["operator_wh"].is_null());
  // Flat 1: meterd spread its two-hour gap over the intervals; those that differ are marked estimated.
  const auto& f1 = meter_of(r, "F1");
  EXPECT_GE(count_of(f1, "estimated"), 8);
  EXPECT_EQ(count_of(f1, "missing_meterd") + count_of(f1, "missing_operator"), 0);
  ASSERT_GE(f1["listed"].size(), 1u) << f1.dump();
  for (const auto& i : f1["listed"]) {
    EXPECT_TRUE(i["estimated"].get<bool>()) << i.dump();
    EXPECT_GE(i["start_ms"].get<std::int64_t>(), o.f1_gap_from - kQuarter) << i.dump();
    EXPECT_LE(i["start_ms"].get<std::int64_t>(), o.f1_gap_from + 2 * kHour) << i.dump();
  }
  // The spread keeps the gap's total: the differences cancel out.
  EXPECT_NEAR(f1["difference_wh"].get<double>(), 0.0, 1.0);
}

TEST(CommunityReconcile, DaysOfTwentyThreeAndTwentyFiveHoursReconcile) {
  {
    Options o;
    o.month = 3;
    Estate e(o);
    e.start();
    const auto r = e.reconcile("2026-03");
    const auto& f1 = meter_of(r, "F1");
    EXPECT_EQ(count_of(f1, "compared"), 31 * 96 - 4) << "29 March has 23 hours";
    EXPECT_EQ(f1["listed"], json::array());
  }
  Options o;
  o.month = 10;
  Estate e(o);
  // The second 02:15 of 25 October (UTC+1), not the first (UTC+2).
  const auto second = zurich_ms(*e.t.zone, 2026, 10, 25, 2, 15) + kHour;
  e.operator_wh["F1"][second] += 30;
  e.start();
  const auto r = e.reconcile("2026-10");
  const auto& f1 = meter_of(r, "F1");
  EXPECT_EQ(count_of(f1, "compared"), 31 * 96 + 4) << "25 October has 25 hours";
  ASSERT_EQ(f1["listed"].size(), 1u) << f1.dump();
  EXPECT_EQ(f1["listed"][0]["start"], "2026-10-25T02:15:00+01:00");
  EXPECT_EQ(f1["listed"][0]["difference_wh"].get<double>(), -30.0);
}

TEST(CommunityReconcile, OnlyTheAdminReconciles) {
  Estate e;
  e.start();
  EXPECT_EQ(e.get("/api/community/reconcile?period=2026-02", false).status, 401);
  EXPECT_EQ(e.get("/api/community/reconcile?period=2026-02&format=csv", false).status, 401);
  const auto bad = e.get("/api/community/reconcile?period=2026-Q1");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(e.get("/api/community/reconcile?period=2026-02&tolerance=5").status, 400);
  // A member's share link reaches no reconciliation either.
  const auto r = meterd::http::testing::fetch(e.server->port(), "POST", "/api/community/shares",
                                              {{"Content-Type", "application/json"}, {"Cookie", e.cookie}}, "{}");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string token = json::parse(r.body)["shares"][1]["token"];
  EXPECT_EQ(e.get("/s/" + token + "/api/community/reconcile?period=2026-02", false).status, 404);
}

TEST(CommunityReconcile, WithoutReferencesItSaysWhatToConfigure) {
  Options o;
  o.references = false;
  Estate e(o);
  e.start();
  const auto r = e.get("/api/community/reconcile?period=2026-02");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("add community_reference = METER: OPERATOR_ID"), std::string::npos) << r.body;
}
