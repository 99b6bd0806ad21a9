// The `balance` and `balance-now` endpoints over a real store and a real HTTP server: a
// household with a bidirectional grid meter, a PV meter and a heat pump, across the 23-hour
// spring-forward day, checked against the energy the test itself put through the meters.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "dashboard_api.hpp"
#include "http_test_client.hpp"
#include "meterd/http/server.hpp"
#include "served_api.hpp"
#include "store_fixture.hpp"

using namespace meterd::dashboard;
using meterd::http::testing::fetch;
using nlohmann::json;

namespace {
constexpr std::int64_t kMinute = 60'000;

struct Truth {
  double consumption = 0, production = 0, self_consumed = 0, heat_pump = 0, own_supply = 0;
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

// A 5 kWh home battery: it stores PV surplus (at most 1.5 kW), feeds the house from it at
// night (at most 500 W), and between 01:00 and 02:00 UTC charges 2 kW from the grid, as a
// household with a cheap night tariff does. Its charge is its meter's import register, its
// discharge the export register.
struct Battery {
  double stored_wh = 1000;
  // The battery's charge and discharge in this minute, given what the house uses and the roof makes.
  std::pair<double, double> step(std::int64_t t, const Minute& m) {
    constexpr double kCapacity = 5000;
    const auto hour = (t / kMinute) % 1440 / 60;
    double charge = 0, discharge = 0;
    if (hour == 1) charge = std::min(2000.0 / 60, kCapacity - stored_wh);
    else if (m.made_wh > m.used_wh) charge = std::min({m.made_wh - m.used_wh, 1500.0 / 60, kCapacity - stored_wh});
    else discharge = std::min({m.used_wh - m.made_wh, 500.0 / 60, stored_wh});
    stored_wh += charge - discharge;
    return {charge, discharge};
  }
};

struct Day {
  int year, month, day;
};
// The local days the household's readings span: from the first day's midnight to the end day's.
struct Span {
  Day first, end;
};
constexpr Span kSpring{{2024, 3, 30}, {2024, 4, 1}};   // 30 March and the 23-hour 31 March
constexpr Span kAutumn{{2024, 10, 26}, {2024, 10, 28}};  // 26 October and the 25-hour 27 October

struct Household : meterd::dashboard::testing::ServedApi {
  meterd::dashboard::testing::TempStore t{"balance"};
  std::unique_ptr<Statistics> stats;
  std::unique_ptr<AccessControl> access;
  LiveFeed live;
  std::unique_ptr<DashboardApi> api;
  std::int64_t now;
  std::int64_t from, to;
  std::map<std::int64_t, Truth> hours;  // truth per UTC hour

  // The truth of the hours that start in [from_ms, to_ms), summed.
  Truth truth_between(std::int64_t from_ms, std::int64_t to_ms) const {
    Truth sum;
    for (auto it = hours.lower_bound(from_ms); it != hours.end() && it->first < to_ms; ++it) {
      sum.consumption += it->second.consumption;
      sum.production += it->second.production;
      sum.self_consumed += it->second.self_consumed;
      sum.heat_pump += it->second.heat_pump;
      sum.own_supply += it->second.own_supply;
    }
    return sum;
  }
  Truth truth_of(const json& period) const {
    return truth_between(period["start_ms"].get<std::int64_t>(), period["end_ms"].get<std::int64_t>());
  }

  // `pv_delay_ms`: how much later than the others the PV meter's readings start (missing
  // data). `battery`: the household has the battery above, meter "bat".
  explicit Household(const std::string& roles, std::int64_t pv_delay_ms = 0, Span span = kSpring, bool battery = false) {
    auto& store = t.open();
    from = meterd::dashboard::testing::zurich_ms(*t.zone, span.first.year, span.first.month, span.first.day);
    to = meterd::dashboard::testing::zurich_ms(*t.zone, span.end.year, span.end.month, span.end.day);
    now = to + 3600'000;
    double import = 1000, exported = 500, pv = 2000, hp = 300, charged = 700, discharged = 600;
    Battery pack;
    for (std::int64_t x = from; x <= to; x += kMinute) {
      store.add("grid", "active_energy_import", "Wh", {x, import});
      store.add("grid", "active_energy_export", "Wh", {x, exported});
      if (x >= from + pv_delay_ms) store.add("pv", "active_energy_export", "Wh", {x, pv});
      store.add("hp", "active_energy_import", "Wh", {x, hp});
      if (battery) {
        store.add("bat", "active_energy_import", "Wh", {x, charged});
        store.add("bat", "active_energy_export", "Wh", {x, discharged});
      }
      const auto m = minute_at(x);
      const auto [charge, discharge] = battery ? pack.step(x, m) : std::pair<double, double>{0, 0};
      // What the grid meter sees is what the house, the roof and the battery leave over.
      const double net = m.used_wh - m.made_wh + charge - discharge;
      const double in = std::max(net, 0.0), out = std::max(-net, 0.0);
      import += in;
      exported += out;
      pv += m.made_wh;
      hp += m.heat_pump_wh;
      charged += charge;
      discharged += discharge;
      auto& h = hours[x - x % 3600'000];
      if (x < to)
        h = {h.consumption + m.used_wh, h.production + m.made_wh, h.self_consumed + std::clamp(m.made_wh - out, 0.0, m.made_wh),
             h.heat_pump + m.heat_pump_wh, h.own_supply + m.used_wh - in};
    }
    store.flush();
    stats = std::make_unique<Statistics>(store, Prices{{}, 0.3, 0, 0, "CHF"});
    access = std::make_unique<AccessControl>(t.dir / "access.sqlite", "s3cret-pass", nullptr);
    ApiOptions options;
    options.secure_cookies = false;
    options.meter_roles = meterd::MeterRoles::parse(roles);
    api = std::make_unique<DashboardApi>(store, *stats, *access, live, options, [this] { return now; });
    serve(*api);
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

// One hour of the answer against the household's truth: the identities of the balance hold
// to the Wh, and each figure is the energy the test put through the meters. `battery`: with a
// battery the household's own supply is no longer its self-consumed PV.
void expect_hour_balances(const json& p, const Truth& truth, bool battery = false) {
  const double production = p["production_wh"], self = p["self_consumed_wh"], fed = p["fed_in_wh"];
  const double consumption = p["consumption_wh"], import = p["import_wh"], exported = p["export_wh"];
  const double own = p["own_supply_wh"];
  EXPECT_NEAR(production, self + fed, 1e-6) << p.dump();
  if (!battery) {
    EXPECT_NEAR(consumption, import - exported + production, 1e-6) << p.dump();
  }
  EXPECT_NEAR(consumption, import + own, 1e-6) << p.dump();
  EXPECT_NEAR(consumption, truth.consumption, 1) << p.dump();
  EXPECT_NEAR(production, truth.production, 1) << p.dump();
  EXPECT_NEAR(self, truth.self_consumed, 1) << p.dump();
  EXPECT_NEAR(own, truth.own_supply, 1) << p.dump();
  EXPECT_DOUBLE_EQ(p["coverage"].get<double>(), 1.0);
  EXPECT_NEAR(p["consumers"][0]["wh"].get<double>(), truth.heat_pump, 1);
  EXPECT_NEAR(p["consumers"][0]["share"].get<double>(), 300.0 / 700.0, 1e-5);
  EXPECT_NEAR(p["self_sufficiency"].get<double>(), std::clamp(own / consumption, 0.0, 1.0), 1e-9);
}

TEST(BalanceApi, EveryHourOfTheSpringForwardDayBalancesToTheWh) {
  Household h(kAll);
  const auto answer = h.balance("period=hour&from=2024-03-31&to=2024-04-01");
  EXPECT_TRUE(answer["known"]["consumption"].get<bool>());
  const auto& periods = answer["periods"];
  ASSERT_EQ(periods.size(), 23u);  // 31 March 2024 has 23 hours in Zurich
  for (const auto& p : periods) {
    expect_hour_balances(p, h.hours.at(p["start_ms"].get<std::int64_t>()));
    // Without a battery, what the house supplies itself is the PV it uses.
    EXPECT_NEAR(p["own_supply_wh"].get<double>(), p["self_consumed_wh"].get<double>(), 1e-6);
  }
  // The days are the sums of their intervals: the 23-hour day and the 24-hour one before it.
  const auto days = h.balance("period=day&from=2024-03-30&to=2024-04-01")["periods"];
  ASSERT_EQ(days.size(), 2u);
  for (const auto& d : days) {
    const auto sum = h.truth_of(d);
    EXPECT_NEAR(d["consumption_wh"].get<double>(), sum.consumption, 1);
    EXPECT_NEAR(d["production_wh"].get<double>(), sum.production, 1);
    EXPECT_NEAR(d["self_consumed_wh"].get<double>(), sum.self_consumed, 1);
    EXPECT_NEAR(d["self_consumption_rate"].get<double>(), sum.self_consumed / sum.production, 1e-6);
  }
  EXPECT_EQ(days[1]["end_ms"].get<std::int64_t>() - days[1]["start_ms"].get<std::int64_t>(), 23 * 3600'000LL);
}

// 27 October 2024 has 25 hours in Zurich: 02:00-03:00 local comes twice, first in summer time
// (00:00 UTC), then in winter time (01:00 UTC). Each is its own hour with its own energy.
TEST(BalanceApi, EveryHourOfTheAutumnDayBalancesToTheWhTheRepeatedHourTwice) {
  Household h(kAll, 0, kAutumn);
  const auto answer = h.balance("period=hour&from=2024-10-27&to=2024-10-28");
  const auto& periods = answer["periods"];
  ASSERT_EQ(periods.size(), 25u);
  for (std::size_t i = 0; i < periods.size(); ++i) {
    const auto& p = periods[i];
    EXPECT_EQ(p["end_ms"].get<std::int64_t>() - p["start_ms"].get<std::int64_t>(), 3600'000) << i;
    if (i > 0) {
      EXPECT_EQ(p["start_ms"].get<std::int64_t>(), periods[i - 1]["end_ms"].get<std::int64_t>()) << i;
    }
    expect_hour_balances(p, h.hours.at(p["start_ms"].get<std::int64_t>()));
  }
  const auto local_hour = [&](const json& p) {
    return meterd::seconds_to_civil(h.t.zone->utc_to_local(p["start_ms"].get<std::int64_t>() / 1000)).hour;
  };
  EXPECT_EQ(local_hour(periods[2]), 2);
  EXPECT_EQ(local_hour(periods[3]), 2);
  EXPECT_EQ(periods[3]["start_ms"].get<std::int64_t>() - periods[2]["start_ms"].get<std::int64_t>(), 3600'000);
  // The day is the sum of its 25 hours, to the Wh.
  const auto days = h.balance("period=day&from=2024-10-27&to=2024-10-28")["periods"];
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0]["end_ms"].get<std::int64_t>() - days[0]["start_ms"].get<std::int64_t>(), 25 * 3600'000LL);
  for (const char* figure : {"import_wh", "export_wh", "production_wh", "self_consumed_wh", "consumption_wh", "own_supply_wh"}) {
    double sum = 0;
    for (const auto& p : periods) sum += p[figure].get<double>();
    EXPECT_NEAR(days[0][figure].get<double>(), sum, 1e-6) << figure;
  }
}

// A household with a battery that stores PV by day, feeds the house at night and charges from
// the grid for an hour after midnight. Consumption counts the battery's discharge minus its
// charge; own supply is consumption minus import (negative in the hour the grid charges the
// battery), and self-sufficiency is own supply over consumption, not self-consumed PV over it.
TEST(BalanceApi, ABatteryHouseholdBalancesToTheWhWithOwnSupply) {
  Household h("grid=grid, pv=pv, hp=heat_pump, bat=battery", 0, kSpring, true);
  const auto answer = h.balance("period=hour&from=2024-03-30&to=2024-04-01");
  EXPECT_TRUE(answer["known"]["consumption"].get<bool>());
  const auto& periods = answer["periods"];
  ASSERT_EQ(periods.size(), 24u + 23u);
  bool grid_charged = false, discharged = false, stored_pv = false;
  for (const auto& p : periods) {
    const auto& truth = h.hours.at(p["start_ms"].get<std::int64_t>());
    expect_hour_balances(p, truth, true);
    grid_charged |= p["own_supply_wh"].get<double>() < -1000;  // 2 kWh into the battery, 700 Wh into the house
    discharged |= p["production_wh"].get<double>() == 0 && p["own_supply_wh"].get<double>() > 400;
    // PV going into the battery is self-consumed when it is made, but supplies the house only later.
    stored_pv |= p["self_consumed_wh"].get<double>() > p["own_supply_wh"].get<double>() + 1000;
  }
  EXPECT_TRUE(grid_charged);
  EXPECT_TRUE(discharged);
  EXPECT_TRUE(stored_pv);
  const auto days = h.balance("period=day&from=2024-03-30&to=2024-04-01")["periods"];
  ASSERT_EQ(days.size(), 2u);
  for (const auto& d : days) {
    const auto sum = h.truth_of(d);
    EXPECT_NEAR(d["consumption_wh"].get<double>(), sum.consumption, 1);
    EXPECT_NEAR(d["own_supply_wh"].get<double>(), sum.own_supply, 1);
    EXPECT_NEAR(d["consumption_wh"].get<double>(), d["import_wh"].get<double>() + d["own_supply_wh"].get<double>(), 1e-6);
    EXPECT_NEAR(d["self_sufficiency"].get<double>(), sum.own_supply / sum.consumption, 1e-3);
  }
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
  const auto afternoon = h.truth_between(days[0]["start_ms"].get<std::int64_t>() + 12 * 3600'000LL,
                                         days[0]["end_ms"].get<std::int64_t>());
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
