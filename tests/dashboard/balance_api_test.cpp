// The `balance` and `balance-now` endpoints over a real store and a real HTTP server: a
// household with a bidirectional grid meter, a PV meter and a heat pump, across the 23-hour
// spring-forward day, checked against the energy the test itself put through the meters.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dashboard_api.hpp"
#include "http_test_client.hpp"
#include "meterd/http/server.hpp"
#include "store_fixture.hpp"

using namespace meterd::dashboard;
using meterd::http::testing::fetch;
using nlohmann::json;

namespace {
constexpr std::int64_t kMinute = 60'000;

struct Truth {
  double consumption = 0, production = 0, self_consumed = 0, heat_pump = 0;
};

// One minute of the household: 400 W base plus a 300 W heat pump in the house, a roof
// producing between 07:00 and 19:00 UTC with a peak of 3 kW.
struct Minute {
  double used_wh, made_wh, heat_pump_wh;
};
Minute minute_at(std::int64_t t) {
  const double hour = static_cast<double>((t / kMinute) % 1440) / 60.0;
  const double sun = hour > 7 && hour < 19 ? 3000 * std::sin((hour - 7) / 12 * M_PI) : 0;
  return {(400.0 + 300.0) / 60.0, sun / 60.0, 300.0 / 60.0};
}

struct Household {
  meterd::dashboard::testing::TempStore t{"balance"};
  std::unique_ptr<Statistics> stats;
  std::unique_ptr<AccessControl> access;
  LiveFeed live;
  std::unique_ptr<DashboardApi> api;
  std::unique_ptr<meterd::http::Server> server;
  std::int64_t now;
  std::string cookie;
  std::int64_t from, to;
  std::map<std::int64_t, Truth> hours;  // truth per UTC hour

  // `pv_from`: when the PV meter's readings start (later than the others: missing data).
  explicit Household(const std::string& roles, std::int64_t pv_delay_ms = 0) {
    auto& store = t.open();
    from = meterd::dashboard::testing::zurich_ms(*t.zone, 2024, 3, 30);
    to = meterd::dashboard::testing::zurich_ms(*t.zone, 2024, 4, 1);
    now = to + 3600'000;
    double import = 1000, exported = 500, pv = 2000, hp = 300;
    for (std::int64_t x = from; x <= to; x += kMinute) {
      store.add("grid", "active_energy_import", "Wh", {x, import});
      store.add("grid", "active_energy_export", "Wh", {x, exported});
      if (x >= from + pv_delay_ms) store.add("pv", "active_energy_export", "Wh", {x, pv});
      store.add("hp", "active_energy_import", "Wh", {x, hp});
      const auto m = minute_at(x);
      const double direct = std::min(m.used_wh, m.made_wh);
      import += m.used_wh - direct;
      exported += m.made_wh - direct;
      pv += m.made_wh;
      hp += m.heat_pump_wh;
      auto& h = hours[x - x % 3600'000];
      if (x < to) h = {h.consumption + m.used_wh, h.production + m.made_wh, h.self_consumed + direct, h.heat_pump + m.heat_pump_wh};
    }
    store.flush();
    stats = std::make_unique<Statistics>(store, Prices{{}, 0.3, 0, 0, "CHF"});
    access = std::make_unique<AccessControl>(t.dir / "access.sqlite", "s3cret-pass", nullptr);
    ApiOptions options;
    options.secure_cookies = false;
    options.meter_roles = meterd::MeterRoles::parse(roles);
    api = std::make_unique<DashboardApi>(store, *stats, *access, live, options, [this] { return now; });
    meterd::http::ServerOptions o;
    o.port = 0;
    server = std::make_unique<meterd::http::Server>(o, api->router());
    server->start();
    auto r = fetch(server->port(), "POST", "/api/login", {{"Content-Type", "application/json"}}, R"({"password":"s3cret-pass"})");
    const auto set = r.header("set-cookie");
    cookie = set.substr(0, set.find(';'));
  }
  meterd::http::testing::Reply get(const std::string& target, bool admin = true) {
    return fetch(server->port(), "GET", target, admin ? std::vector<std::pair<std::string, std::string>>{{"Cookie", cookie}}
                                                      : std::vector<std::pair<std::string, std::string>>{});
  }
  json balance(const std::string& query, bool admin = true) {
    const auto r = get("/api/balance?" + query, admin);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }
  std::string share(const json& spec) {
    auto r = fetch(server->port(), "POST", "/api/admin/shares", {{"Content-Type", "application/json"}, {"Cookie", cookie}}, spec.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body)["token"];
  }
};

const std::string kAll = "grid=grid, pv=pv, hp=heat_pump";
}  // namespace

TEST(BalanceApi, EveryHourOfTheSpringForwardDayBalancesToTheWh) {
  Household h(kAll);
  const auto answer = h.balance("period=hour&from=2024-03-31&to=2024-04-01");
  EXPECT_TRUE(answer["known"]["consumption"].get<bool>());
  const auto& periods = answer["periods"];
  ASSERT_EQ(periods.size(), 23u);  // 31 March 2024 has 23 hours in Zurich
  for (const auto& p : periods) {
    const auto& truth = h.hours.at(p["start_ms"].get<std::int64_t>());
    const double production = p["production_wh"], self = p["self_consumed_wh"], fed = p["fed_in_wh"];
    const double consumption = p["consumption_wh"], import = p["import_wh"], exported = p["export_wh"];
    EXPECT_NEAR(production, self + fed, 1e-6);
    EXPECT_NEAR(consumption, import - exported + production, 1e-6);
    EXPECT_NEAR(consumption, truth.consumption, 1) << p.dump();
    EXPECT_NEAR(production, truth.production, 1) << p.dump();
    EXPECT_NEAR(self, truth.self_consumed, 1) << p.dump();
    EXPECT_DOUBLE_EQ(p["coverage"].get<double>(), 1.0);
    EXPECT_NEAR(p["consumers"][0]["wh"].get<double>(), truth.heat_pump, 1);
    EXPECT_NEAR(p["consumers"][0]["share"].get<double>(), 300.0 / 700.0, 1e-5);
    const double autarky = p["self_sufficiency"];
    EXPECT_NEAR(autarky, self / consumption, 1e-9);
  }
  // The days are the sums of their intervals: the 23-hour day and the 24-hour one before it.
  const auto days = h.balance("period=day&from=2024-03-30&to=2024-04-01")["periods"];
  ASSERT_EQ(days.size(), 2u);
  for (const auto& d : days) {
    Truth sum;
    for (const auto& [start, truth] : h.hours)
      if (start >= d["start_ms"].get<std::int64_t>() && start < d["end_ms"].get<std::int64_t>()) {
        sum.consumption += truth.consumption;
        sum.production += truth.production;
        sum.self_consumed += truth.self_consumed;
      }
    EXPECT_NEAR(d["consumption_wh"].get<double>(), sum.consumption, 1);
    EXPECT_NEAR(d["production_wh"].get<double>(), sum.production, 1);
    EXPECT_NEAR(d["self_consumed_wh"].get<double>(), sum.self_consumed, 1);
    EXPECT_NEAR(d["self_consumption_rate"].get<double>(), sum.self_consumed / sum.production, 1e-6);
  }
  EXPECT_EQ(days[1]["end_ms"].get<std::int64_t>() - days[1]["start_ms"].get<std::int64_t>(), 23 * 3600'000LL);
}

TEST(BalanceApi, OnlyAGridMeterGivesImportAndExportAndNothingInvented) {
  Household h("grid=grid");
  const auto answer = h.balance("period=day&from=2024-03-30&to=2024-03-31");
  EXPECT_TRUE(answer["known"]["grid"].get<bool>());
  EXPECT_FALSE(answer["known"]["production"].get<bool>());
  const auto& p = answer["periods"][0];
  EXPECT_GT(p["import_wh"].get<double>(), 0);
  EXPECT_GT(p["export_wh"].get<double>(), 0);
  for (const char* unknown : {"production_wh", "consumption_wh", "self_consumed_wh", "self_sufficiency", "self_consumption_rate"})
    EXPECT_TRUE(p[unknown].is_null()) << unknown;
}

TEST(BalanceApi, MissingProductionDataLowersCoverage) {
  Household h(kAll, 12 * 3600'000LL);  // the PV meter reports only from noon of the first day
  const auto days = h.balance("period=day&from=2024-03-30&to=2024-04-01")["periods"];
  ASSERT_EQ(days.size(), 2u);
  EXPECT_NEAR(days[0]["coverage"].get<double>(), 0.5, 0.01);
  EXPECT_DOUBLE_EQ(days[1]["coverage"].get<double>(), 1.0);
  // The morning without PV data is left out of every figure, not filled with grid energy alone.
  Truth afternoon;
  for (const auto& [start, truth] : h.hours)
    if (start >= days[0]["start_ms"].get<std::int64_t>() + 12 * 3600'000LL && start < days[0]["end_ms"].get<std::int64_t>())
      afternoon.consumption += truth.consumption;
  EXPECT_NEAR(days[0]["consumption_wh"].get<double>(), afternoon.consumption, 1);
  const auto before = h.balance("period=hour&from=2024-03-30T00:00&to=2024-03-30T06:00")["periods"];
  for (const auto& p : before) {
    EXPECT_TRUE(p["import_wh"].is_null());
    EXPECT_EQ(p["coverage"].get<double>(), 0);
  }
}

TEST(BalanceApi, AShareBalancesOnlyItsOwnMeters) {
  Household h(kAll);
  const std::string range = "period=day&from=2024-03-30&to=2024-04-01";
  const auto grid_only = h.share({{"meters", {"grid"}}, {"from", "2024-03-30"}, {"to", "2024-04-01"}, {"detail", "daily"}});
  auto a = json::parse(h.get("/s/" + grid_only + "/api/balance?" + range, false).body);
  ASSERT_EQ(a["roles"].size(), 1u);
  EXPECT_FALSE(a["known"]["production"].get<bool>());
  EXPECT_TRUE(a["periods"][0]["production_wh"].is_null());
  EXPECT_TRUE(a["periods"][0]["consumers"].empty());
  EXPECT_GT(a["periods"][0]["import_wh"].get<double>(), 0);
  const auto heat_pump = h.share({{"meters", {"hp"}}, {"from", "2024-03-30"}, {"to", "2024-04-01"}, {"detail", "hourly"}});
  a = json::parse(h.get("/s/" + heat_pump + "/api/balance?" + range, false).body);
  EXPECT_FALSE(a["known"]["grid"].get<bool>());
  EXPECT_TRUE(a["periods"][0]["import_wh"].is_null());
  EXPECT_TRUE(a["periods"][0]["consumers"][0]["share"].is_null());  // the share needs the hidden meters
  EXPECT_EQ(h.get("/s/" + heat_pump + "/api/balance?meters=pv&" + range, false).status, 404);
  EXPECT_EQ(h.get("/s/" + grid_only + "/api/balance?period=hour&" + range.substr(11), false).status, 403);
  EXPECT_EQ(h.get("/s/" + grid_only + "/api/balance?period=day&from=2024-01-01&to=2024-02-01", false).status, 403);
  // The admin may narrow the balance to a set of meters the same way.
  a = h.balance("meters=grid,hp&" + range);
  EXPECT_EQ(a["roles"].size(), 2u);
  EXPECT_FALSE(a["known"]["consumption"].get<bool>());
}

TEST(BalanceApi, RefusesWhatItCannotAnswer) {
  Household h(kAll);
  EXPECT_EQ(h.get("/api/balance?period=hour&from=2024-01-01&to=2024-06-01").status, 400);  // hours over 93 days
  EXPECT_EQ(h.get("/api/balance?period=day&from=2020-01-01&to=2024-06-01").status, 400);
  EXPECT_EQ(h.get("/api/balance?period=minute&from=2024-03-30&to=2024-03-31").status, 400);
  EXPECT_EQ(h.get("/api/balance?meter=grid&from=2024-03-30&to=2024-03-31").status, 400);
  EXPECT_EQ(h.get("/api/balance?meters=nobody&from=2024-03-30&to=2024-03-31").status, 404);
  EXPECT_EQ(h.get("/api/balance?from=2024-03-30&to=2024-03-31", false).status, 401);
}

TEST(BalanceApi, NowGivesTheLiveFlowsOfFreshMeters) {
  Household h(kAll);
  const auto at = h.now - 2000;
  h.live.publish("grid", at, {{"active_power_import", 0, "W", at}, {"active_power_export", 1.1, "kW", at}});
  h.live.publish("pv", at, {{"active_power_export", 3200, "W", at}});
  h.live.publish("hp", at, {{"active_power_import", 900, "W", at}});
  auto r = h.get("/api/balance-now");
  ASSERT_EQ(r.status, 200) << r.body;
  auto a = json::parse(r.body);
  ASSERT_TRUE(a["flows"]["grid_w"].is_number()) << r.body;
  ASSERT_TRUE(a["flows"]["consumption_w"].is_number()) << r.body;
  EXPECT_DOUBLE_EQ(a["flows"]["grid_w"].get<double>(), -1100);
  EXPECT_DOUBLE_EQ(a["flows"]["production_w"].get<double>(), 3200);
  EXPECT_DOUBLE_EQ(a["flows"]["consumption_w"].get<double>(), 2100);
  EXPECT_DOUBLE_EQ(a["flows"]["self_consumed_w"].get<double>(), 2100);
  EXPECT_TRUE(a["flows"]["battery_w"].is_null());
  EXPECT_DOUBLE_EQ(a["roles"][2]["import_w"].get<double>(), 900);
  // A PV meter silent for longer than the offline limit makes the house's draw unknown.
  h.now += 120'000;
  h.live.publish("grid", h.now, {{"active_power_import", 500, "W", h.now}, {"active_power_export", 0, "W", h.now}});
  a = json::parse(h.get("/api/balance-now").body);
  EXPECT_DOUBLE_EQ(a["flows"]["grid_w"].get<double>(), 500);
  EXPECT_TRUE(a["flows"]["production_w"].is_null());
  EXPECT_TRUE(a["flows"]["consumption_w"].is_null());
  EXPECT_TRUE(a["roles"][1]["production_w"].is_null());
}
