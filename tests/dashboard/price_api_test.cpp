// The `prices` endpoint and the price fields of `energy` over real HTTP: average paid vs market,
// tomorrow's cheapest hours from day-ahead prices, the heat pump's shift estimate and the
// feed-in credit, each against sums worked out in the comments.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dashboard_api.hpp"
#include "http_test_client.hpp"
#include "meterd/http/server.hpp"
#include "served_api.hpp"
#include "store_fixture.hpp"

using namespace meterd::dashboard;
using meterd::http::testing::fetch;
using nlohmann::json;

namespace {
const std::int64_t kNow = 1'706'745'600'000;  // 2024-02-01T00:00Z, 01:00 in Zurich
constexpr std::int64_t kHour = 3'600'000;

int local_hour(const meterd::TimeZone& z, std::int64_t t) { return meterd::seconds_to_civil(z.utc_to_local(t / 1000)).hour; }

// What a test varies: roles and names as a sink's options give them, an HT schedule, and
// when the day-ahead prices end.
struct Setup {
  std::string roles{}, names{}, ht_schedule{};
  std::int64_t prices_until = kNow + 2 * 86'400'000LL;
  bool no_prices = false;  // a sink with no price option at all
};

struct PriceApi : meterd::dashboard::testing::ServedApi {
  meterd::dashboard::testing::TempStore t{"price-api"};
  std::unique_ptr<Statistics> stats;
  std::unique_ptr<AccessControl> access;
  LiveFeed live;
  std::unique_ptr<DashboardApi> api;
  explicit PriceApi(const Setup& setup = {}) {
    auto& store = t.open();
    const auto& z = *t.zone;
    // The house draws 1 kW and feeds in 0.5 kW all the time; the heat pump draws 2 kW from
    // 17:00 to 20:00 local only.
    double heat_pump = 0;
    for (std::int64_t x = kNow - 3 * 86'400'000LL - 60'000; x <= kNow; x += 60000) {
      store.add("house", "active_energy_import", "Wh", {x, static_cast<double>(x - kNow) / 3600.0 + 1e6});
      store.add("house", "active_energy_export", "Wh", {x, static_cast<double>(x - kNow) / 7200.0 + 1e6});
      store.add("heatpump", "active_energy_import", "Wh", {x, heat_pump});
      const int h = local_hour(z, x);
      if (h >= 17 && h < 20) heat_pump += 2000.0 / 60;
    }
    // Hourly day-ahead prices through tomorrow (2 February, local): 0.10 + 0.01 × (hour mod 5).
    for (std::int64_t x = kNow - 4 * 86'400'000LL; x < setup.prices_until; x += kHour)
      store.add("spot", "price", "CHF/kWh", {x, 0.10 + 0.01 * (local_hour(z, x) % 5)});
    store.flush();
    Prices p;
    if (!setup.no_prices) configure(p, setup, z);
    stats = std::make_unique<Statistics>(store, p);
    access = std::make_unique<AccessControl>(t.dir / "access.sqlite", "s3cret-pass", nullptr);
    ApiOptions options;
    options.web_root = t.dir / "web";
    options.secure_cookies = false;
    options.meter_roles = meterd::MeterRoles::parse(setup.roles);
    options.meter_names = MeterNames::parse(setup.names);
    api = std::make_unique<DashboardApi>(store, *stats, *access, live, options, [] { return kNow; });
    serve(*api);
  }
  static void configure(Prices& p, const Setup& setup, const meterd::TimeZone& z) {
    p.single = 0.5;
    p.schedule = TariffSchedule::parse(setup.ht_schedule);
    p.high = 0.6;
    p.low = 0.4;
    p.dynamic_meter = "spot";
    p.grid = parse_price_sets("grid_prices", "0.05", {}, z);
    p.vat_percent = 10;
    p.feed_in = parse_price_sets("feed_in", "0.08", {}, z);
  }
  json get(const std::string& target, int status = 200) {
    const auto r = ServedApi::get(target);
    EXPECT_EQ(r.status, status) << target << ": " << r.body;
    return json::parse(r.body);
  }
};
const std::string kRange = "from=2024-01-29T00:00:00Z&to=2024-02-01T00:00:00Z";
}  // namespace

TEST(PriceApi, PaidVersusMarketTomorrowsCheapestHoursAndTheShiftEstimate) {
  PriceApi a;
  const auto j = a.get("/api/prices?meter=heatpump&shift_meter=heatpump&hours=3&" + kRange);
  EXPECT_EQ(j["dynamic_prices"], "spot");
  // Paid: the two whole local days inside the range (30 and 31 January), 6 kWh a day at
  // 17, 18, 19 h = 0.12, 0.13, 0.14: energy 2 × 0.78 = 1.56 for 12 kWh, i.e. 0.13 per kWh;
  // with grid 0.05 and 10 % VAT (0.13 + 0.05) × 1.1 = 0.198 per kWh.
  EXPECT_NEAR(j["paid"]["wh"].get<double>(), 12000, 0.1);
  EXPECT_NEAR(j["paid"]["energy_per_kwh"].get<double>(), 0.13, 1e-6);
  EXPECT_NEAR(j["paid"]["per_kwh"].get<double>(), 0.198, 1e-6);
  // Market: the 72 hours of the range, local 01:00 on 29 January to 01:00 on 1 February: a
  // day's 24 hours sum to 2.4 + 0.01 × 46 = 2.86; the range lacks hour 0 of the first day and
  // has hour 0 of the fourth: (2.86 × 3) / 72 = 0.119167.
  EXPECT_NEAR(j["market"]["per_kwh"].get<double>(), 2.86 * 3 / 72, 1e-9);
  EXPECT_EQ(j["market"]["quarters"], 288);
  // Tomorrow is 2 February (local); 0.10 at hours 0, 5, 10, 15, 20: the first three of those.
  ASSERT_TRUE(j["tomorrow"].is_object());
  EXPECT_EQ(j["tomorrow"]["hours"].size(), 24u);
  ASSERT_EQ(j["tomorrow"]["cheapest"].size(), 3u);
  const auto day = j["tomorrow"]["day_ms"].get<std::int64_t>();
  EXPECT_EQ(day, kNow + 23 * kHour);  // 2 February 00:00 local is 1 February 23:00Z
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(j["tomorrow"]["cheapest"][i]["start_ms"], day + 5 * i * kHour);
    EXPECT_NEAR(j["tomorrow"]["cheapest"][i]["per_kwh"].get<double>(), 0.10, 1e-12);
  }
  EXPECT_EQ(j["feed"]["newest_ms"], kNow + 2 * 86'400'000LL - kHour);
  // The price valid now started at kNow (local hour 1): 0.11, fresh.
  EXPECT_EQ(j["feed"]["current_start_ms"], kNow);
  EXPECT_NEAR(j["feed"]["current_per_kwh"].get<double>(), 0.11, 1e-12);
  EXPECT_FALSE(j["feed"]["stale"].get<bool>());
  EXPECT_TRUE(j["configured"].get<bool>());
  EXPECT_TRUE(j["bands"].empty());  // one fixed price for every hour
  // Shift: three days with 6 kWh in 3 hours each: actual 3 × 0.78 = 2.34; in each day's three
  // cheapest hours (0.10) 3 × 0.60 = 1.80; saving 0.54.
  ASSERT_EQ(j["shifts"].size(), 1u);
  const auto& s = j["shifts"][0];
  EXPECT_EQ(s["meter"], "heatpump");
  EXPECT_EQ(s["chosen_by"], "parameter");
  EXPECT_TRUE(s["estimate"].get<bool>());
  EXPECT_EQ(s["days"], 3);
  EXPECT_NEAR(s["wh"].get<double>(), 18000, 0.1);
  EXPECT_NEAR(s["actual_cost"].get<double>(), 2.34, 1e-5);
  EXPECT_NEAR(s["shifted_cost"].get<double>(), 1.80, 1e-5);
  EXPECT_NEAR(s["saving"].get<double>(), 0.54, 1e-5);
  a.get("/api/prices?meter=nope&" + kRange, 404);
  a.get("/api/prices?meter=house&shift_meter=nope&" + kRange, 404);
  a.get("/api/prices?meter=house&hours=13&" + kRange, 400);
}

TEST(PriceApi, EnergyAnswersNameTheSplitThePriceSourceAndTheFeedInCredit) {
  PriceApi a;
  const auto day = a.get("/api/energy?meter=heatpump&period=day&" + kRange)["periods"][1];
  // 30 January: energy 0.78, grid 6 × 0.05 = 0.30, VAT 10 % of 1.08.
  EXPECT_NEAR(day["cost_energy"].get<double>(), 0.78, 1e-6);
  EXPECT_NEAR(day["cost_grid"].get<double>(), 0.30, 1e-6);
  EXPECT_NEAR(day["cost_vat"].get<double>(), 0.108, 1e-6);
  EXPECT_NEAR(day["cost"].get<double>(), 1.188, 1e-6);
  EXPECT_EQ(day["price_source"], "dynamic");
  const auto out = a.get("/api/energy?meter=house&period=day&direction=export&" + kRange)["periods"][1];
  // 12 kWh fed in at 0.08, no VAT: a credit, not a cost.
  EXPECT_FALSE(out.contains("cost"));
  EXPECT_NEAR(out["credit"].get<double>(), 0.96, 1e-6);
  EXPECT_FALSE(out.contains("cost_vat"));
}

TEST(PriceApi, TheShiftEstimateDefaultsToTheHeatPumpOrEvTheRolesName) {
  PriceApi a({.roles = "house=grid, heatpump=heat_pump", .names = "house=Main meter, heatpump=Heat pump",
              .ht_schedule = "Mon-Fri 07-20"});
  // Without `meter` the grid meter's import is compared; without `shift_meter` the heat pump's
  // load is shifted, named as configured.
  const auto j = a.get("/api/prices?" + kRange);
  EXPECT_EQ(j["meter"], "house");
  EXPECT_EQ(j["name"], "Main meter");
  ASSERT_EQ(j["shifts"].size(), 1u);
  const auto& s = j["shifts"][0];
  EXPECT_EQ(s["meter"], "heatpump");
  EXPECT_EQ(s["name"], "Heat pump");
  EXPECT_EQ(s["role"], "heat_pump");
  EXPECT_EQ(s["chosen_by"], "role");
  EXPECT_TRUE(s["estimate"].get<bool>());
  EXPECT_NEAR(s["saving"].get<double>(), 0.54, 1e-5);  // as in the test above
  // The HT/NT pair as two bands with their hours and energy prices.
  ASSERT_EQ(j["bands"].size(), 2u);
  EXPECT_EQ(j["bands"][0]["name"], "ht");
  EXPECT_EQ(j["bands"][0]["hours"], "Mon-Fri 07-20");
  EXPECT_EQ(j["bands"][0]["hours_per_week"], 65);
  EXPECT_NEAR(j["bands"][0]["energy_per_kwh"].get<double>(), 0.6, 1e-12);
  EXPECT_EQ(j["bands"][1]["name"], "nt");
  EXPECT_EQ(j["bands"][1]["hours"], "rest");
  EXPECT_EQ(j["bands"][1]["hours_per_week"], 168 - 65);
  EXPECT_NEAR(j["bands"][1]["energy_per_kwh"].get<double>(), 0.4, 1e-12);
  // A meter asked for replaces the roles' choice; a meter without a role has none.
  const auto asked = a.get("/api/prices?meter=heatpump&shift_meter=house&" + kRange);
  EXPECT_EQ(asked["meter"], "heatpump");
  ASSERT_EQ(asked["shifts"].size(), 1u);
  EXPECT_EQ(asked["shifts"][0]["meter"], "house");
  EXPECT_EQ(asked["shifts"][0]["role"], "grid");
  EXPECT_EQ(asked["shifts"][0]["chosen_by"], "parameter");
}

TEST(PriceApi, WithoutRolesNothingIsShiftedAndAMissingMeterIsAskedFor) {
  PriceApi a;
  EXPECT_TRUE(a.get("/api/prices?meter=house&" + kRange)["shifts"].empty());
  const auto e = a.get("/api/prices?" + kRange, 400);
  EXPECT_NE(e["error"]["message"].get<std::string>().find("'meter' is missing"), std::string::npos) << e;
}

TEST(PriceApi, WithoutAnyPriceConfiguredTheAnswerSaysSo) {
  PriceApi a({.no_prices = true});
  const auto j = a.get("/api/prices?meter=house&" + kRange);
  EXPECT_FALSE(j["configured"].get<bool>());
  EXPECT_TRUE(j["feed"].is_null());
  EXPECT_TRUE(j["bands"].empty());
  EXPECT_TRUE(j["market"]["per_kwh"].is_null());
}

TEST(PriceApi, AFeedWithoutAPriceForNowIsStale) {
  // The last day-ahead price started 3 h ago; a price holds one hour.
  PriceApi a({.prices_until = kNow - 2 * kHour});
  const auto j = a.get("/api/prices?meter=house&" + kRange);
  EXPECT_TRUE(j["feed"]["stale"].get<bool>());
  EXPECT_TRUE(j["feed"]["current_per_kwh"].is_null());
  EXPECT_EQ(j["feed"]["newest_ms"], kNow - 3 * kHour);
  EXPECT_TRUE(j["tomorrow"].is_null());
}

TEST(PriceApi, BadInputIsAnsweredWith400NamingTheParameter) {
  PriceApi a({.roles = "house=grid, heatpump=ev"});
  const std::string huge = "99999999999999999999999999999";
  const std::string long_id(200, 'x');
  const std::pair<std::string, std::string> cases[] = {
      {"hours=" + huge, "'hours'"},
      {"hours=-" + huge, "'hours'"},
      {"hours=0", "'hours'"},
      {"hours=13", "'hours'"},
      {"hours=1e3", "'hours'"},
      {"hours=3.5", "'hours'"},
      {"hours=", "'hours'"},
      {"from=" + huge + "&to=2024-02-01T00:00:00Z", "'from'"},
      {"from=-" + huge + "&to=2024-02-01T00:00:00Z", "'from'"},
      {"from=2024-01-29T00:00:00Z&to=" + huge, "'to'"},
      {"from=2024-01-29T00:00:00Z&to=1e308", "'to'"},
      {"from=2024-01-29T00:00:00Z&to=10000-01-01", "'to'"},
      {"from=2024-02-01T00:00:00Z&to=2024-01-29T00:00:00Z", "to"},
      {"from=2020-01-01T00:00:00Z&to=2024-01-29T00:00:00Z", "366"},
      {"meter=" + long_id, "'meter'"},
      {"shift_meter=" + long_id, "'shift_meter'"},
      {"shift_meters=heatpump", "shift_meters"},
  };
  for (const auto& [query, names] : cases) {
    auto target = "/api/prices?" + query;
    if (query.find("from=") == std::string::npos) target += "&" + kRange;
    const auto e = a.get(target, 400);
    const auto message = e["error"]["message"].get<std::string>();
    EXPECT_NE(message.find(names), std::string::npos) << query << ": " << message;
  }
  a.get("/api/prices?shift_meter=nope&" + kRange, 404);
  a.get("/api/prices?meter=nope&" + kRange, 404);
}
