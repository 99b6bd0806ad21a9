#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <nlohmann/json.hpp>
#include <vector>

#include "answer_cache.hpp"
#include "boot_page.hpp"
#include "csv_reply.hpp"
#include "dashboard_api.hpp"
#include "login_throttle.hpp"
#include "http_test_client.hpp"
#include "meterd/http/server.hpp"
#include "store_fixture.hpp"

using namespace meterd::dashboard;
using meterd::http::testing::fetch;
using nlohmann::json;

namespace {
const std::int64_t kNow = 1'706'745'600'000;  // 2024-02-01T00:00Z

struct Api {
  meterd::dashboard::testing::TempStore t{"api"};
  std::unique_ptr<Statistics> stats;
  std::unique_ptr<AccessControl> access;
  LiveFeed live;
  std::unique_ptr<DashboardApi> api;
  std::unique_ptr<meterd::http::Server> server;
  std::int64_t now = kNow;
  std::string cookie;
  // Raw points are kept for ever unless raw_days says otherwise.
  explicit Api(int raw_days = 0) {
    t.options.raw_days = raw_days;
    auto& store = t.open();
    for (std::int64_t x = kNow - 3 * 86'400'000LL; x < kNow; x += 60000) {
      for (const char* m : {"house", "heatpump"}) {
        store.add(m, "active_energy_import", "Wh", {x, static_cast<double>(x - kNow) / 3600.0 + 1e6});
        store.add(m, "voltage_l1", "V", {x, 231});
      }
    }
    store.flush();
    stats = std::make_unique<Statistics>(store, Prices{{}, 0.3, 0, 0, "CHF"});
    access = std::make_unique<AccessControl>(t.dir / "access.sqlite", "s3cret-pass", nullptr);
    ApiOptions options;
    options.web_root = t.dir / "web";
    options.secure_cookies = false;
    options.meter_names = MeterNames::parse("house = My house, boiler=Boiler");
    api = std::make_unique<DashboardApi>(store, *stats, *access, live, options, [this] { return now; });
    meterd::http::ServerOptions o;
    o.port = 0;
    server = std::make_unique<meterd::http::Server>(o, api->router());
    server->start();
  }
  meterd::http::testing::Reply get(const std::string& target, bool admin = true) {
    return fetch(server->port(), "GET", target, admin && !cookie.empty() ? std::vector<std::pair<std::string, std::string>>{{"Cookie", cookie}}
                                                                          : std::vector<std::pair<std::string, std::string>>{});
  }
  meterd::http::testing::Reply post(const std::string& target, const json& body) {
    std::vector<std::pair<std::string, std::string>> h{{"Content-Type", "application/json"}};
    if (!cookie.empty()) h.push_back({"Cookie", cookie});
    return fetch(server->port(), "POST", target, h, body.dump());
  }
  void login() {
    auto r = post("/api/login", {{"password", "s3cret-pass"}});
    ASSERT_EQ(r.status, 200);
    const auto set = r.header("set-cookie");
    ASSERT_NE(set.find("HttpOnly"), std::string::npos);
    ASSERT_NE(set.find("SameSite=Strict"), std::string::npos);
    cookie = set.substr(0, set.find(';'));
  }
  std::string share(const json& spec) {
    auto r = post("/api/admin/shares", spec);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body)["token"];
  }
};
const std::string kRange = "from=2024-01-29T00:00:00Z&to=2024-02-01T00:00:00Z";
}  // namespace

TEST(DashboardApi, RequiresLoginAndThrottlesFailuresWithoutLockingOut) {
  Api a;
  EXPECT_EQ(a.get("/api/meters").status, 401);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(a.post("/api/login", {{"password", "wrong"}}).status, 401);
  // Inside the wait even the right password is not checked, and the reply says how long to wait.
  const auto limited = a.post("/api/login", {{"password", "s3cret-pass"}});
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("retry-after"), "1");
  // After that short wait the right password works: no lockout.
  a.now += 1000;
  a.login();
  EXPECT_EQ(a.get("/api/meters").status, 200);
  EXPECT_EQ(fetch(a.server->port(), "POST", "/api/login", {}, "password=x").status, 415);
  EXPECT_EQ(a.post("/api/login", {{"password", 12}}).status, 400);
  EXPECT_EQ(a.post("/api/login", json::array()).status, 400);
}

TEST(LoginThrottle, WaitsGrowPerAddressStayShortForTheAccountAndAreForgotten) {
  LoginThrottle t;
  const std::int64_t t0 = 1'000'000;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(t.wait_ms("10.0.0.1", t0), 0);
    t.failed("10.0.0.1", t0);
  }
  EXPECT_EQ(t.wait_ms("10.0.0.1", t0), 1000);
  EXPECT_EQ(t.wait_ms("10.0.0.2", t0), 0);  // another address is not slowed by this one
  t.failed("10.0.0.1", t0 + 1000);
  EXPECT_EQ(t.wait_ms("10.0.0.1", t0 + 1000), 2000);
  for (int i = 0; i < 20; ++i) t.failed("10.0.0.1", t0 + 2000);
  EXPECT_EQ(t.wait_ms("10.0.0.1", t0 + 2000), 300'000);  // capped
  // The account's own wait, shared by every address, never grows beyond a few seconds.
  EXPECT_EQ(t.wait_ms("10.0.0.3", t0 + 2000), 4000);
  EXPECT_EQ(t.wait_ms("10.0.0.3", t0 + 6000), 0);
  EXPECT_EQ(t.wait_ms("10.0.0.1", t0 + 2000 + 15 * 60'000 + 1), 0);  // forgotten
  // Failures are reported, summed, at most once a minute.
  ASSERT_TRUE(t.failure_report(t0).has_value());
  t.failed("10.0.0.4", t0 + 10);
  EXPECT_FALSE(t.failure_report(t0 + 20).has_value());
  const auto later = t.failure_report(t0 + 61'000);
  ASSERT_TRUE(later.has_value());
  EXPECT_NE(later->find("1 failed dashboard login"), std::string::npos) << *later;
  EXPECT_NE(later->find("10.0.0.4"), std::string::npos);
}

TEST(DashboardApi, EndpointsAnswerAndValidate) {
  Api a;
  a.login();
  auto meters = json::parse(a.get("/api/meters").body);
  EXPECT_EQ(meters["meters"].size(), 2u);
  auto energy = a.get("/api/energy?meter=house&period=day&" + kRange);
  ASSERT_EQ(energy.status, 200) << energy.body;
  auto days = json::parse(energy.body)["periods"];
  ASSERT_GE(days.size(), 3u);
  EXPECT_NEAR(days[1]["wh"].get<double>(), 24000, 1);
  EXPECT_NEAR(days[1]["cost"].get<double>(), 24 * 0.3, 1e-3);
  EXPECT_EQ(a.get("/api/series?meter=house&quantity=voltage_l1&" + kRange).status, 200);
  EXPECT_EQ(a.get("/api/series?meter=house&quantity=voltage_l1&resolution=raw&" + kRange).status, 400);  // too long for raw
  EXPECT_EQ(a.get("/api/energy?meter=nobody&" + kRange).status, 404);
  EXPECT_EQ(a.get("/api/energy?meter=house&from=yesterday&to=2024-02-01").status, 400);
  EXPECT_EQ(a.get("/api/energy?meter=house&period=fortnight&" + kRange).status, 400);
  EXPECT_EQ(a.get("/api/energy?meter=house&typo=1&" + kRange).status, 400);
  EXPECT_EQ(a.get("/api/energy?meter=house&period=hour&from=2020-01-01&to=2024-01-01").status, 400);
  for (const char* e : {"energy-range", "baseload", "peaks", "matrix", "voltage"})
    EXPECT_EQ(a.get(std::string("/api/") + e + "?meter=house&" + kRange).status, 200) << e;
  EXPECT_EQ(a.get("/api/compare?meter=house&period=day&at=2024-01-30").status, 200);
  EXPECT_EQ(a.get("/api/meter-shares?" + kRange).status, 200);
  auto storage = json::parse(a.get("/api/storage").body);
  EXPECT_GT(storage["used_bytes"].get<double>(), 0);
  auto csp = a.get("/api/meters").header("content-security-policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
}
// "All meters" asks each meter's energy and power in one round trip: each entry is exactly
// what the meter's own request answers, in the order asked, within the same scope rules.
TEST(DashboardApi, SeveralMetersAnswerInOneRequestAsEachAlone) {
  Api a;
  a.login();
  for (const std::string& q : {"/api/energy?period=day&" + kRange, "/api/energy?period=hour&" + kRange,
                              "/api/series?quantity=active_energy_import&resolution=1h&" + kRange,
                              std::string("/api/series?quantity=voltage_l1&resolution=raw&from=2024-01-30T00:00&to=2024-01-30T06:00")}) {
    const auto both = a.get(q + "&meters=heatpump,house,heatpump");
    ASSERT_EQ(both.status, 200) << q << both.body;
    const auto replies = json::parse(both.body)["meters"];
    ASSERT_EQ(replies.size(), 2u) << q;  // a meter named twice is answered once
    EXPECT_EQ(replies[0], json::parse(a.get(q + "&meter=heatpump").body)) << q;
    EXPECT_EQ(replies[1], json::parse(a.get(q + "&meter=house").body)) << q;
  }
  // Three days of minutes come from the raw points, decoded in parts on several threads: all
  // 4,320 minutes, in order, each with the register's 1000/60 Wh (its values are kept to the mWh).
  const auto minutes = json::parse(a.get("/api/series?meters=house,heatpump&quantity=active_energy_import&resolution=1m&" + kRange).body)["meters"];
  for (const auto& m : minutes) {
    ASSERT_EQ(m["t"].size(), 4320u);
    for (std::size_t i = 0; i < m["t"].size(); ++i) {
      ASSERT_EQ(m["t"][i].get<std::int64_t>(), 1'706'486'400'000 + static_cast<std::int64_t>(i) * 60'000);
      if (i + 1 < m["t"].size()) {
        ASSERT_NEAR(m["energy_wh"][i].get<double>(), 1000.0 / 60, 1e-3) << i;
      }
    }
  }
  EXPECT_EQ(a.get("/api/energy?meters=house,nobody&" + kRange).status, 404);
  EXPECT_EQ(a.get("/api/energy?meters=,&" + kRange).status, 400);
  EXPECT_EQ(a.get("/api/energy?meter=house&meters=house&" + kRange).status, 400);
  const auto csv = a.get("/api/energy?meters=house,heatpump&format=csv&" + kRange);
  EXPECT_EQ(csv.status, 400);
  EXPECT_NE(csv.body.find("ask meter=ID for each"), std::string::npos) << csv.body;
  EXPECT_EQ(a.get("/api/energy?meters=house&format=csv&" + kRange).status, 200);
  std::string many = "/api/energy?" + kRange + "&meters=house";
  for (int i = 0; i < 40; ++i) many += ",m" + std::to_string(i);
  EXPECT_EQ(a.get(many).status, 400);  // at most 32 meters in one request
  // A link for one meter cannot reach the other by listing both.
  const auto token = a.share({{"meters", {"house"}}, {"from", "2024-01-29"}, {"to", "2024-02-01"}, {"detail", "hourly"}});
  EXPECT_EQ(a.get("/s/" + token + "/api/energy?meters=house&period=day&" + kRange, false).status, 200);
  EXPECT_EQ(a.get("/s/" + token + "/api/energy?meters=house,heatpump&period=day&" + kRange, false).status, 404);
  EXPECT_EQ(a.get("/s/" + token + "/api/series?meters=heatpump,house&quantity=active_energy_import&" + kRange, false).status, 404);
}

namespace {
// Splits a CSV reply (no quoted fields in these answers) into lines and fields.
std::vector<std::vector<std::string>> csv_rows(const std::string& body) {
  std::vector<std::vector<std::string>> rows;
  std::size_t at = 0;
  while (at < body.size()) {
    const auto end = body.find("\r\n", at);
    const auto line = body.substr(at, end - at);
    at = end == std::string::npos ? body.size() : end + 2;
    std::vector<std::string> fields;
    std::size_t f = 0;
    for (auto comma = line.find(','); ; comma = line.find(',', f)) {
      fields.push_back(line.substr(f, comma - f));
      if (comma == std::string::npos) break;
      f = comma + 1;
    }
    rows.push_back(fields);
  }
  return rows;
}
}  // namespace

TEST(DashboardApi, EnergyAsCsvNamesUnitsZoneAndLocalTimes) {
  Api a;
  a.login();
  const auto r = a.get("/api/energy?meter=house&period=day&format=csv&from=2024-01-29&to=2024-01-31");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type").rfind("text/csv", 0), 0u) << r.header("content-type");
  EXPECT_EQ(r.header("content-disposition"), "attachment; filename=\"house-energy-day-2024-01-29.csv\"");
  const auto rows = csv_rows(r.body);
  ASSERT_EQ(rows.size(), 3u) << r.body;  // header and the two local days
  EXPECT_EQ(rows[0], (std::vector<std::string>{"start [Europe/Zurich]", "end [Europe/Zurich]",
                                               "energy [Wh]", "estimated [Wh]", "coverage [0-1]", "cost [CHF]", "source"}));
  // Local midnight in Zurich in winter is 23:00 UTC the day before; the register rises 1000 Wh an hour.
  EXPECT_EQ(rows[2][0], "2024-01-30T00:00:00+01:00");
  EXPECT_EQ(rows[2][1], "2024-01-31T00:00:00+01:00");
  EXPECT_NEAR(std::stod(rows[2][2]), 24000, 1);
  EXPECT_NEAR(std::stod(rows[2][5]), 24 * 0.3, 1e-3);
  EXPECT_EQ(rows[2][6], "register");
  // The same numbers as the JSON answer.
  const auto periods = json::parse(a.get("/api/energy?meter=house&period=day&from=2024-01-29&to=2024-01-31").body)["periods"];
  ASSERT_EQ(periods.size(), 2u);
  EXPECT_NEAR(std::stod(rows[1][2]), periods[0]["wh"].get<double>(), 1e-6);
  EXPECT_NEAR(std::stod(rows[1][4]), periods[0]["coverage"].get<double>(), 1e-6);
  EXPECT_EQ(a.get("/api/energy?meter=house&format=xml&" + kRange).status, 400);
}

TEST(DashboardApi, SeriesAsCsvCarriesBucketsOrRawPoints) {
  Api a;
  a.login();
  const auto hourly = a.get("/api/series?meter=house&quantity=voltage_l1&resolution=1h&format=csv"
                            "&from=2024-01-30T00:00&to=2024-01-30T03:00");
  ASSERT_EQ(hourly.status, 200) << hourly.body;
  EXPECT_EQ(hourly.header("content-disposition"), "attachment; filename=\"house-voltage_l1-1h-2024-01-30.csv\"");
  auto rows = csv_rows(hourly.body);
  ASSERT_EQ(rows.size(), 4u) << hourly.body;
  EXPECT_EQ(rows[0], (std::vector<std::string>{"start [Europe/Zurich]", "mean [V]", "min [V]", "max [V]"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2024-01-30T00:00:00+01:00", "231", "231", "231"}));
  EXPECT_EQ(rows[3][0], "2024-01-30T02:00:00+01:00");
  // A register's buckets carry their energy; raw points their value.
  rows = csv_rows(a.get("/api/series?meter=house&quantity=active_energy_import&resolution=1h&format=csv"
                        "&from=2024-01-30T00:00&to=2024-01-30T01:00").body);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].back(), "estimated [Wh]");
  EXPECT_NEAR(std::stod(rows[1][4]), 1000, 1e-6);
  rows = csv_rows(a.get("/api/series?meter=house&quantity=voltage_l1&resolution=raw&format=csv"
                        "&from=2024-01-30T00:00&to=2024-01-30T00:03").body);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"time [Europe/Zurich]", "voltage_l1 [V]"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"2024-01-30T00:01:00+01:00", "231"}));
}

TEST(DashboardApi, CsvTimesShowTheOffsetInForceAndMilliseconds) {
  const auto zone = meterd::TimeZone::load("Europe/Zurich");
  // 2024-03-31 01:00 UTC is 03:00 summer time, just after the change; 00:59:59.250 UTC is winter time.
  EXPECT_EQ(local_iso_time(1'711'846'800'000, *zone), "2024-03-31T03:00:00+02:00");
  EXPECT_EQ(local_iso_time(1'711'846'799'250, *zone), "2024-03-31T01:59:59.250+01:00");
  const json series{{"unit", "W"}, {"quantity", "active_power_import"}, {"t", {0}}, {"value", {nullptr}}};
  EXPECT_EQ(csv_from_arrays(series, series_csv_columns(series, *zone), *zone),
            "time [Europe/Zurich],active_power_import [W]\r\n1970-01-01T01:00:00+01:00,\r\n");
  const json rows = json::array({{{"source", "a,\"b\""}}});
  EXPECT_EQ(csv_from_rows(rows, {{"source", "source"}}, *zone), "source\r\n\"a,\"\"b\"\"\"\r\n");
}

TEST(DashboardApi, CsvUnderAShareKeepsToItsWindow) {
  Api a;
  a.login();
  const auto token = a.share({{"meters", {"house"}}, {"from", "2024-01-30T00:00:00+01:00"}, {"to", "2024-01-31T00:00:00+01:00"}, {"detail", "daily"}});
  const auto r = a.get("/s/" + token + "/api/energy?meter=house&period=day&format=csv&" + kRange, false);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto rows = csv_rows(r.body);
  ASSERT_EQ(rows.size(), 2u) << r.body;
  EXPECT_EQ(rows[1][0], "2024-01-30T00:00:00+01:00");
  EXPECT_EQ(a.get("/s/" + token + "/api/series?meter=house&quantity=voltage_l1&format=csv&" + kRange, false).status, 403);
}

TEST(DashboardApi, InsightsAnswerTheMetersTogetherWithinTheScope) {
  Api a;
  a.login();
  const std::string day = "from=2024-01-30&to=2024-01-31";
  auto r = a.get("/api/insights?" + day);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = json::parse(r.body);
  EXPECT_EQ(j["meters"], json({"heatpump", "house"}));
  EXPECT_NEAR(j["energy"]["wh"].get<double>(), 2 * 24'000, 1);  // each meter 1 kW all day
  EXPECT_NEAR(j["energy"]["cost"].get<double>(), 48 * 0.3, 1e-3);
  ASSERT_EQ(j["peaks"].size(), 1u);
  EXPECT_NEAR(j["peaks"][0]["kw"].get<double>(), 2.0, 0.01);
  j = json::parse(a.get("/api/insights?meters=house,house&" + day).body);
  EXPECT_EQ(j["meters"], json({"house"}));
  EXPECT_NEAR(j["energy"]["wh"].get<double>(), 24'000, 1);
  EXPECT_EQ(a.get("/api/insights?meters=house,nobody&" + day).status, 404);
  EXPECT_EQ(a.get("/api/insights?from=2020-01-01&to=2024-01-31").status, 400);  // beyond two years
  const auto daily = a.share({{"meters", {"house"}}, {"from", "2024-01-29"}, {"to", "2024-02-01"}, {"detail", "daily"}});
  EXPECT_EQ(a.get("/s/" + daily + "/api/insights?" + day, false).status, 403);
  const auto hourly = a.share({{"meters", {"house"}}, {"from", "2024-01-29"}, {"to", "2024-02-01"}, {"detail", "hourly"}});
  j = json::parse(a.get("/s/" + hourly + "/api/insights?" + day, false).body);
  EXPECT_EQ(j["meters"], json({"house"}));  // the link's meter only
  EXPECT_EQ(a.get("/s/" + hourly + "/api/insights?meters=heatpump&" + day, false).status, 404);
}

// The demo's day-ahead spot price is stored under its own id ("spot") like a meter's series,
// but it measures nothing: it is in no meter list (the API's, the page's boot data), picker or
// "all meters" total, while its series stays readable by name for the price views.
TEST(DashboardApi, APriceFeedIsNoMeterInListsPickersOrTotals) {
  Api a;
  for (std::int64_t x = kNow - 86'400'000LL; x < kNow + 36 * 3'600'000LL; x += 3'600'000)
    a.t.store->add("spot", "price", "CHF/kWh", {x, 0.12});
  a.t.store->flush();
  a.login();
  const auto ids = [](const json& list) {
    std::vector<std::string> out;
    for (const auto& m : list["meters"]) out.push_back(m["id"]);
    return out;
  };
  EXPECT_EQ(ids(json::parse(a.get("/api/meters").body)), (std::vector<std::string>{"heatpump", "house"}));
  const auto day = "from=2024-01-30&to=2024-01-31";
  EXPECT_EQ(json::parse(a.get(std::string("/api/insights?") + day).body)["meters"], json({"heatpump", "house"}));
  const auto shares = json::parse(a.get(std::string("/api/meter-shares?") + day).body)["meters"];
  ASSERT_EQ(shares.size(), 2u);
  for (const auto& row : shares) EXPECT_NE(row["meter"], "spot");
  // Still there for whoever asks for it by name.
  EXPECT_EQ(a.get("/api/series?meter=spot&quantity=price&from=2024-01-31&to=2024-02-01").status, 200);
}

TEST(DashboardApi, ShareScopeIsEnforced) {
  Api a;
  a.login();
  const auto token = a.share({{"meters", {"house"}}, {"from", "2024-01-30T00:00:00Z"}, {"to", "2024-01-31T00:00:00Z"}, {"detail", "daily"}});
  const std::string base = "/s/" + token + "/api/";
  // The admin's answer for the same question, kept, is not what the link gets.
  EXPECT_EQ(json::parse(a.get("/api/energy?meter=house&period=day&" + kRange).body)["periods"].size(), 4u);
  EXPECT_EQ(a.get(base + "energy?meter=house&period=day&" + kRange, false).status, 200);
  auto periods = json::parse(a.get(base + "energy?meter=house&period=day&" + kRange, false).body)["periods"];
  for (const auto& p : periods) {
    EXPECT_GE(p["start_ms"].get<std::int64_t>(), 1706572800000);
    EXPECT_LE(p["end_ms"].get<std::int64_t>(), 1706659200000);
  }
  EXPECT_EQ(a.get(base + "energy?meter=heatpump&period=day&" + kRange, false).status, 404);  // other meter
  EXPECT_EQ(a.get(base + "energy?meter=house&period=hour&" + kRange, false).status, 403);    // detail
  EXPECT_EQ(a.get(base + "series?meter=house&quantity=voltage_l1&" + kRange, false).status, 403);
  EXPECT_EQ(a.get(base + "voltage?meter=house&" + kRange, false).status, 403);
  EXPECT_EQ(a.get(base + "live", false).status, 403);
  EXPECT_EQ(a.get(base + "energy?meter=house&from=2023-01-01&to=2023-02-01", false).status, 403);  // outside range
  EXPECT_EQ(a.get(base + "storage", false).status, 404);  // admin endpoints do not exist under a share
  // Dot segments are not resolved by the router, so this path matches no route: whatever the
  // status, it must be a refusal that carries no storage data.
  const auto traversal = a.get("/s/" + token + "/api/../../api/storage", false);
  EXPECT_GE(traversal.status, 400);
  EXPECT_EQ(traversal.body.find("used_bytes"), std::string::npos);
  EXPECT_EQ(a.get("/api/meters", false).status, 401);   // the token gives no admin access
  auto meters = json::parse(a.get(base + "meters", false).body)["meters"];
  ASSERT_EQ(meters.size(), 1u);
  EXPECT_EQ(meters[0]["id"], "house");
  // Revocation takes effect at once.
  auto list = json::parse(a.get("/api/admin/shares").body)["shares"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(fetch(a.server->port(), "DELETE", "/api/admin/shares/" + list[0]["id"].get<std::string>(), {{"Cookie", a.cookie}}).status, 204);
  EXPECT_EQ(a.get(base + "meters", false).status, 404);
}

TEST(DashboardApi, SessionSettingsAndMeterNames) {
  Api a;
  EXPECT_EQ(a.get("/api/session").status, 401);
  EXPECT_EQ(a.get("/api/settings").status, 401);
  a.login();
  const auto session = json::parse(a.get("/api/session").body);
  EXPECT_EQ(session["kind"], "admin");
  EXPECT_EQ(session["expires_ms"], kNow + AccessControl::kSessionMs);
  EXPECT_EQ(session["currency"], "CHF");
  EXPECT_EQ(a.get("/api/session?x=1").status, 400);

  const auto meters = json::parse(a.get("/api/meters").body)["meters"];
  ASSERT_EQ(meters.size(), 2u);
  EXPECT_EQ(meters[0]["id"], "heatpump");
  EXPECT_EQ(meters[0]["name"], "heatpump");  // not configured: the id
  EXPECT_EQ(meters[1]["name"], "My house");

  const auto settings = json::parse(a.get("/api/settings").body);
  EXPECT_EQ(settings["time_zone"], "Europe/Zurich");
  EXPECT_EQ(settings["currency"], "CHF");
  EXPECT_DOUBLE_EQ(settings["prices"]["single"].get<double>(), 0.3);
  EXPECT_EQ(settings["ht_schedule"], "");
  // A named meter without readings yet is listed too: it is part of the configuration.
  ASSERT_EQ(settings["meters"].size(), 3u);
  EXPECT_EQ(settings["meters"][0]["id"], "boiler");
  EXPECT_EQ(settings["retention_days"]["raw"], a.t.store->options().raw_days);
  EXPECT_EQ(a.post("/api/settings", json::object()).status, 405);  // read-only

  const auto token = a.share({{"meters", {"house"}}, {"from", "2024-01-30T00:00:00Z"}, {"to", "2024-01-31T00:00:00Z"},
                              {"detail", "hourly"}, {"label", "for the landlord"}});
  const auto scope = json::parse(a.get("/s/" + token + "/api/session", false).body);
  EXPECT_EQ(scope["kind"], "share");
  EXPECT_EQ(scope["label"], "for the landlord");
  EXPECT_EQ(scope["meters"], json::array({"house"}));
  EXPECT_EQ(scope["from_ms"], 1706572800000);
  EXPECT_EQ(scope["to_ms"], 1706659200000);
  EXPECT_EQ(scope["detail"], "hourly");
  EXPECT_TRUE(scope["expires_ms"].is_null());
  EXPECT_EQ(scope["currency"], "CHF");  // costs are shown in it; the settings are not shared
  EXPECT_EQ(json::parse(a.get("/s/" + token + "/api/meters", false).body)["meters"][0]["name"], "My house");
  EXPECT_EQ(a.get("/s/" + token + "/api/settings", false).status, 404);  // configuration is the owner's
}

TEST(DashboardApi, ExpiredShareStopsWorkingAndBadSharesAreRefused) {
  Api a;
  a.login();
  const auto token = a.share({{"meters", {"house"}}, {"from", "2024-01-29"}, {"to", "2024-02-01"}, {"detail", "full"},
                              {"expires", kNow + 3'600'000}});
  EXPECT_EQ(a.get("/s/" + token + "/api/voltage?meter=house&" + kRange, false).status, 200);
  a.now += 2 * 3'600'000;
  EXPECT_EQ(a.get("/s/" + token + "/api/meters", false).status, 404);
  EXPECT_EQ(a.post("/api/admin/shares", {{"meters", {"ghost"}}, {"from", "2024-01-29"}, {"to", "2024-02-01"}, {"detail", "daily"}}).status, 400);
  EXPECT_EQ(a.post("/api/admin/shares", {{"meters", {"house"}}, {"from", "2024-01-29"}, {"to", "2024-02-01"}, {"detail", "all"}}).status, 400);
  EXPECT_EQ(a.post("/api/admin/shares", {{"meters", {"house"}}, {"from", "2024-02-01"}, {"to", "2024-01-29"}, {"detail", "daily"}}).status, 400);
}

TEST(DashboardApi, LivePushDeliversEachReadingQuickly) {
  Api a;
  a.login();
  meterd::http::testing::EventStreamClient client(a.server->port(), "/api/live?meter=house", {{"Cookie", a.cookie}});
  ASSERT_TRUE(client.wait_for(": connected", std::chrono::seconds(5)));
  for (int i = 0; i < 200 && a.live.subscribers() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // Each reading on its own: the time from publish until its bytes arrive at the client.
  std::vector<double> latencies;
  for (int i = 0; i < 100; ++i) {
    const int value = 100000 + i;
    const auto start = std::chrono::steady_clock::now();
    a.live.publish("house", kNow + i, {{"active_power_import", static_cast<double>(value), "W"}});
    ASSERT_TRUE(client.wait_for(std::to_string(value), std::chrono::seconds(5))) << "reading " << i << " not delivered";
    latencies.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  // A reading for a meter the stream does not ask for is not pushed to it.
  a.live.publish("heatpump", kNow + 100, {{"active_power_import", 1234, "W"}});
  a.live.publish("house", kNow + 100, {{"active_power_import", 1234, "W"}});
  ASSERT_TRUE(client.wait_for("1234", std::chrono::seconds(5)));
  EXPECT_EQ(client.received().find("heatpump"), std::string::npos);
  std::sort(latencies.begin(), latencies.end());
  std::printf("live push latency over %zu readings: median %.2f ms, p95 %.2f ms, max %.2f ms\n", latencies.size(),
              latencies[latencies.size() / 2], latencies[latencies.size() * 95 / 100], latencies.back());
  EXPECT_EQ(json::parse(a.get("/api/latest?meter=house").body)["values"]["active_power_import"]["value"], 1234);
}

TEST(DashboardApi, InstantsOutsideTheYears1970To9999AreRefusedNamingTheParameter) {
  Api a;
  a.login();
  const auto token = a.share({{"meters", {"house"}}, {"from", "2024-01-01"}, {"to", "2024-02-01"}, {"detail", "daily"}});
  for (const std::string& target : std::vector<std::string>{
           "/s/" + token + "/api/compare?meter=house&period=day&at=9223372036854775807",
        "/api/compare?meter=house&period=year&at=-9223372036854775808",
        "/api/energy?meter=house&from=-9223372036854775808&to=9223372036854775807",
        "/api/energy?meter=house&from=0&to=253402300800000", "/api/energy?meter=house&from=10000-01-01&to=10000-01-02",
        "/api/energy?meter=house&from=1969-12-31T00:00:00Z&to=1970-01-02"}) {
    const auto r = a.get(target, target.rfind("/api/", 0) == 0);
    EXPECT_EQ(r.status, 400) << target;
    const auto message = json::parse(r.body)["error"]["message"].get<std::string>();
    EXPECT_TRUE(message.find("'at'") != std::string::npos || message.find("'from'") != std::string::npos ||
                message.find("'to'") != std::string::npos)
        << message;
  }
  // The edges themselves are fine, also for the calendar walks around them.
  EXPECT_EQ(a.get("/api/compare?meter=house&period=year&at=253402300799999").status, 200);
  EXPECT_EQ(a.get("/api/compare?meter=house&period=week&at=0").status, 200);
  for (const json& bad : {json(9223372036854775807LL), json(-1), json("99999-01-01"), json(1e300), json(true)}) {
    const auto r = a.post("/api/admin/shares", {{"meters", {"house"}}, {"from", bad}, {"to", "2024-02-01"}, {"detail", "daily"}});
    EXPECT_EQ(r.status, 400) << bad.dump();
    EXPECT_NE(r.body.find("'from'"), std::string::npos) << r.body;
  }
}

TEST(DashboardApi, EveryBodyFieldIsTypeCheckedAndShareSubpathsAre404) {
  Api a;
  a.login();
  const json good{{"meters", {"house"}}, {"from", "2024-01-01"}, {"to", "2024-02-01"}, {"detail", "daily"}};
  for (const auto& [field, value] : std::vector<std::pair<std::string, json>>{
           {"label", 5}, {"label", json::object()}, {"detail", 3}, {"meters", "house"}, {"meters", {1}},
           {"meters", json::array()}, {"expires", json::array()}, {"to", nullptr}}) {
    auto body = good;
    body[field] = value;
    const auto r = a.post("/api/admin/shares", body);
    EXPECT_EQ(r.status, 400) << field << "=" << value.dump() << ": " << r.body;
  }
  EXPECT_EQ(a.post("/api/admin/shares", good).status, 201);
  const auto token = a.share(good);
  for (const char* sub : {"admin/shares", "meters/x", "storage/", "../api/storage"}) {
    const auto r = a.get("/s/" + token + "/api/" + sub, false);
    EXPECT_EQ(r.status, 404) << sub;
    EXPECT_EQ(r.body.find("<html"), std::string::npos) << sub;
  }
}

TEST(DashboardApi, CurrentValuesOnlyWhileTheShareDatesIncludeNow) {
  Api a;
  a.login();
  a.live.publish("house", kNow, {{"active_power_import", 777, "W"}});
  const auto ended = a.share({{"meters", {"house"}}, {"from", "2024-01-01"}, {"to", "2024-01-31"}, {"detail", "full"}});
  const auto current = a.share({{"meters", {"house"}}, {"from", "2024-01-01"}, {"to", "2024-03-01"}, {"detail", "full"}});
  EXPECT_EQ(a.get("/s/" + ended + "/api/latest?meter=house", false).status, 403);
  EXPECT_EQ(a.get("/s/" + ended + "/api/live", false).status, 403);
  const auto latest = a.get("/s/" + current + "/api/latest?meter=house", false);
  EXPECT_EQ(latest.status, 200);
  EXPECT_NE(latest.body.find("777"), std::string::npos);
  // HEAD on a stream: its headers, no events, and the connection is not held.
  const auto head = fetch(a.server->port(), "HEAD", "/s/" + current + "/api/live");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-type"), "text/event-stream");
  EXPECT_TRUE(head.body.empty());
}

TEST(DashboardApi, LiveStreamsEndWithTheirShareOrSessionAndAreCapped) {
  Api a;
  a.login();
  const auto token = a.share({{"meters", {"house"}}, {"from", "2024-01-01"}, {"to", "2024-03-01"}, {"detail", "full"}});
  const std::string live = "/s/" + token + "/api/live";
  std::vector<std::unique_ptr<meterd::http::testing::EventStreamClient>> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(std::make_unique<meterd::http::testing::EventStreamClient>(a.server->port(), live));
    ASSERT_TRUE(clients.back()->wait_for(": connected", std::chrono::seconds(5)));
  }
  // The link's cap (4 by default) reached: the next one is refused at once.
  EXPECT_EQ(a.get(live, false).status, 429);
  meterd::http::testing::EventStreamClient admin(a.server->port(), "/api/live", {{"Cookie", a.cookie}});
  ASSERT_TRUE(admin.wait_for(": connected", std::chrono::seconds(5)));
  // A reading after the share's end is not delivered to it, only to the admin.
  a.live.publish("house", 1'709'251'200'000 + 1000, {{"active_power_import", 4242, "W"}});
  ASSERT_TRUE(admin.wait_for("4242", std::chrono::seconds(5)));
  const auto list = json::parse(a.get("/api/admin/shares").body)["shares"];
  EXPECT_EQ(fetch(a.server->port(), "DELETE", "/api/admin/shares/" + list[0]["id"].get<std::string>(), {{"Cookie", a.cookie}}).status, 204);
  for (auto& c : clients) {
    EXPECT_TRUE(c->wait_closed(std::chrono::seconds(2)));
    EXPECT_EQ(c->received().find("4242"), std::string::npos);
  }
  EXPECT_EQ(fetch(a.server->port(), "POST", "/api/logout", {{"Cookie", a.cookie}}).status, 200);
  EXPECT_TRUE(admin.wait_closed(std::chrono::seconds(2)));
}

TEST(DashboardApi, LatestValuesCarryTheirOwnTimeAndBackfillNeverOverwritesNewer) {
  Api a;
  a.login();
  // Pushes every 5 s with power, then one history reading from an hour ago that also has
  // per-phase power: it must not replace the newer power, and its phase power keeps its time.
  for (int i = 0; i < 5; ++i)
    a.live.publish("house", kNow + i * 5000, {{"active_power_import", 1000.0 + i, "W"}, {"voltage_l1", 230, "V"}});
  a.live.publish("house", kNow - 3'600'000, {{"active_power_import", 7, "W"}, {"active_power_import_l1", 3, "W"}});
  a.live.publish("house", kNow + 25000, {{"voltage_l1", 231, "V", kNow + 24000}});
  const auto reply = json::parse(a.get("/api/latest?meter=house").body);
  const auto& v = reply["values"];
  EXPECT_EQ(v["active_power_import"]["value"], 1004);
  EXPECT_EQ(v["active_power_import"]["time_ms"], kNow + 20000);
  EXPECT_EQ(v["active_power_import_l1"]["value"], 3);
  EXPECT_EQ(v["active_power_import_l1"]["time_ms"], kNow - 3'600'000);
  EXPECT_EQ(v["voltage_l1"]["time_ms"], kNow + 24000);  // the value's own time, not the reading's
  EXPECT_EQ(v["time_ms"], kNow + 25000);
  EXPECT_EQ(v["interval_ms"], 5000);  // the median step: the backfill's jump back does not count
  EXPECT_EQ(reply["now_ms"], a.now);
  EXPECT_EQ(reply["offline_after_ms"], 60000);
  EXPECT_TRUE(json::parse(a.get("/api/latest?meter=heatpump").body)["values"].empty());
}

TEST(DashboardApi, UnfinishedPeriodsAreComparedOverTheSameElapsedPart) {
  Api a;
  a.login();
  a.now = kNow - 6 * 3'600'000LL;  // 2024-01-31 19:00 local, data at 1 kW until 01:00 the next day
  const auto day = json::parse(a.get("/api/compare?meter=house&period=day").body);
  EXPECT_TRUE(day["partial"].get<bool>());
  const std::int64_t today = 1706655600000;  // 2024-01-31 00:00 local
  EXPECT_EQ(day["current"]["start_ms"], today);
  EXPECT_EQ(day["current"]["end_ms"], a.now);
  EXPECT_EQ(day["current"]["period_end_ms"], today + 86'400'000);
  EXPECT_TRUE(day["current"]["partial"].get<bool>());
  EXPECT_NEAR(day["current"]["wh"].get<double>(), 19000, 1);
  EXPECT_EQ(day["previous"]["start_ms"], today - 86'400'000);
  EXPECT_EQ(day["previous"]["end_ms"], a.now - 86'400'000);
  EXPECT_NEAR(day["previous"]["wh"].get<double>(), 19000, 1);
  EXPECT_NEAR(day["previous"]["coverage"].get<double>(), 1, 1e-3);
  EXPECT_TRUE(day["last_year"]["wh"].is_null());  // no data a year ago: no value, coverage 0
  EXPECT_DOUBLE_EQ(day["last_year"]["coverage"].get<double>(), 0);
  // A finished period compares whole periods.
  const auto past = json::parse(a.get("/api/compare?meter=house&period=day&at=2024-01-30").body);
  EXPECT_FALSE(past["partial"].get<bool>());
  EXPECT_EQ(past["current"]["end_ms"], today);
  EXPECT_NEAR(past["current"]["wh"].get<double>(), 24000, 1);
  EXPECT_NEAR(past["previous"]["coverage"].get<double>(), 23.0 / 24, 0.01);  // data began at 01:00 on 29 Jan
  // The month so far against the same 30 days and 19 hours of December.
  const auto month = json::parse(a.get("/api/compare?meter=house&period=month").body);
  EXPECT_EQ(month["previous"]["end_ms"], 1701385200000 + (a.now - 1704063600000));
  EXPECT_TRUE(month["previous"]["partial"].get<bool>());
  // For years the previous year is the same year last year: not a second, equal row.
  const auto year = json::parse(a.get("/api/compare?meter=house&period=year").body);
  EXPECT_TRUE(year.contains("previous"));
  EXPECT_FALSE(year.contains("last_year"));
}

TEST(DashboardApi, ShareExpiryDateMeansTheEndOfThatLocalDayAndIsShownAsEntered) {
  Api a;
  a.login();
  const json spec{{"meters", {"house"}}, {"from", "2024-01-29"}, {"to", "2024-02-01"}, {"detail", "daily"}};
  // 31 March 2024 has 23 hours in Zurich, 27 October 25: each ends at the next local midnight.
  struct Case {
    const char* date;
    std::int64_t end_ms;
  };
  for (const auto& c : {Case{"2024-02-01", 1706828400000}, Case{"2024-03-31", 1711922400000}, Case{"2024-10-27", 1730070000000}}) {
    auto with = spec;
    with["expires"] = c.date;
    const auto token = a.share(with);
    const auto session = json::parse(a.get("/s/" + token + "/api/session", false).body);
    EXPECT_EQ(session["expires_ms"], c.end_ms) << c.date;
    EXPECT_EQ(session["expires_date"], c.date);
  }
  auto list = json::parse(a.get("/api/admin/shares").body)["shares"];
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[1]["expires_date"], "2024-03-31");
  // An exact instant stays that instant, and has no date of its own.
  auto instant = spec;
  instant["expires"] = "2024-02-10T12:00:00Z";
  const auto exact = a.share(instant);
  const auto session = json::parse(a.get("/s/" + exact + "/api/session", false).body);
  EXPECT_EQ(session["expires_ms"], 1707566400000);
  EXPECT_TRUE(session["expires_date"].is_null());
  // Valid through the last minute of the day entered, gone at its end.
  auto last = spec;
  last["expires"] = "2024-02-01";
  const auto token = a.share(last);
  a.now = 1706828400000 - 60000;
  EXPECT_EQ(a.get("/s/" + token + "/api/meters", false).status, 200);
  a.now = 1706828400000;
  EXPECT_EQ(a.get("/s/" + token + "/api/meters", false).status, 404);
}

TEST(DashboardApi, CostRepliesShowTheFixedFeeApart) {
  meterd::dashboard::testing::TempStore t{"fee"};
  auto& store = t.open();
  for (std::int64_t x = kNow - 3 * 86'400'000LL; x < kNow; x += 60000)
    store.add("house", "active_energy_import", "Wh", {x, static_cast<double>(x - kNow) / 3600.0 + 1e6});
  store.flush();
  Prices prices;
  prices.single = 0.3;
  prices.fixed_fee_per_month = 31;
  Statistics stats(store, prices);
  AccessControl access(t.dir / "access.sqlite", "s3cret-pass", nullptr);
  LiveFeed live;
  DashboardApi api(store, stats, access, live, ApiOptions{}, [] { return kNow; });
  meterd::http::ServerOptions o;
  o.port = 0;
  meterd::http::Server server(o, api.router());
  server.start();
  const auto login = fetch(server.port(), "POST", "/api/login", {{"Content-Type", "application/json"}}, R"({"password":"s3cret-pass"})");
  const auto set = login.header("set-cookie");
  const std::vector<std::pair<std::string, std::string>> cookie{{"Cookie", set.substr(0, set.find(';'))}};
  const auto days = json::parse(fetch(server.port(), "GET", "/api/energy?meter=house&period=day&" + kRange, cookie).body)["periods"];
  ASSERT_GE(days.size(), 2u);
  EXPECT_NEAR(days[1]["cost"].get<double>(), 24 * 0.3, 1e-3);  // energy only
  EXPECT_NEAR(days[1]["fixed_fee"].get<double>(), 1.0, 1e-9);  // a day of January's 31
  const auto month = json::parse(
      fetch(server.port(), "GET", "/api/energy?meter=house&period=month&from=2024-01-01&to=2024-02-01", cookie).body)["periods"];
  EXPECT_NEAR(month[0]["fixed_fee"].get<double>(), 31, 1e-9);
  const auto range = json::parse(
      fetch(server.port(), "GET", "/api/energy-range?meter=house&from=2024-01-30T00:00&to=2024-01-30T12:00", cookie).body);
  EXPECT_NEAR(range["fixed_fee"].get<double>(), 0.5, 1e-9);
  const auto settings = json::parse(fetch(server.port(), "GET", "/api/settings", cookie).body);
  EXPECT_DOUBLE_EQ(settings["fixed_fee_per_month"].get<double>(), 31);
  server.stop();
}

TEST(MeterNames, ParsesIdEqualsNameAndRefusesWhatIsNot) {
  const auto names = MeterNames::parse(" LGZ1=House , LGZ2 = Heat pump,,");
  EXPECT_EQ(names.of("LGZ1"), "House");
  EXPECT_EQ(names.of("LGZ2"), "Heat pump");
  EXPECT_EQ(names.of("LGZ3"), "LGZ3");
  EXPECT_TRUE(MeterNames::parse("").all().empty());
  for (const char* bad : {"LGZ1", "=House", "LGZ1=", "LGZ1=A, LGZ1=B"}) {
    try {
      MeterNames::parse(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("meter_names"), std::string::npos) << e.what();
    }
  }
}

TEST(DashboardApi, ALinkNoLongerValidStillGetsThePageWhichExplainsIt) {
  Api a;
  a.login();
  std::filesystem::create_directories(a.t.dir / "web");
  std::ofstream(a.t.dir / "web" / "index.html") << "<!doctype html><title>meterd</title>";
  const auto token = a.share({{"meters", {"house"}}, {"from", kNow - 86'400'000LL}, {"to", kNow}, {"detail", "daily"}});
  EXPECT_EQ(a.get("/s/" + token, false).status, 200);
  // The page without a session (no data written into it) carries the file's tag.
  const auto etag = a.get("/", false).header("etag");
  ASSERT_FALSE(etag.empty());
  const auto list = json::parse(a.get("/api/admin/shares").body)["shares"];
  ASSERT_EQ(fetch(a.server->port(), "DELETE", "/api/admin/shares/" + list[0]["id"].get<std::string>(), {{"Cookie", a.cookie}}).status, 204);
  // A reload of the revoked link, even one asking whether the page changed, gets the whole page
  // as a 404; the page then asks the API and says the link is no longer valid.
  for (const auto& headers : {std::vector<std::pair<std::string, std::string>>{}, {{"If-None-Match", etag}}}) {
    const auto r = fetch(a.server->port(), "GET", "/s/" + token, headers);
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.body.find("<title>meterd</title>"), std::string::npos) << r.body;
  }
  EXPECT_EQ(a.get("/s/" + token + "/api/session", false).status, 404);
}

namespace {
const std::string kBootOpen = "<script type=\"application/json\" id=\"boot\">";

// The data block written into a page, parsed; null when the page has none.
json boot_of(const std::string& page) {
  const auto start = page.find(kBootOpen);
  if (start == std::string::npos) return nullptr;
  const auto from = start + kBootOpen.size();
  // The block ends at the first "</script>": whatever the data holds must not end it earlier.
  return json::parse(page.substr(from, page.find("</script>", from) - from));
}
}  // namespace

TEST(BootData, ThePageCarriesTheAnswersOfItsFirstRequestsForTheAdminOnlyWithASession) {
  Api a;
  a.t.store->add("spot", "price", "CHF/kWh", {kNow - 3'600'000, 0.12});
  a.t.store->flush();
  std::filesystem::create_directories(a.t.dir / "web" / "assets");
  std::ofstream(a.t.dir / "web" / "index.html")
      << "<!doctype html><html><head><title>meterd</title><script type=\"module\" src=\"/assets/index.js\"></script></head><body></body></html>";
  std::ofstream(a.t.dir / "web" / "assets" / "index.js") << "export {};";
  // Without a session: the plain file, cacheable by its tag.
  const auto anonymous = a.get("/", false);
  ASSERT_EQ(anonymous.status, 200);
  EXPECT_EQ(anonymous.body.find(kBootOpen), std::string::npos);
  EXPECT_FALSE(anonymous.header("etag").empty());
  a.login();
  for (const std::string path : {"/", "/index.html", "/history"}) {
    const auto page = a.get(path);
    ASSERT_EQ(page.status, 200) << path;
    const auto boot = boot_of(page.body);
    ASSERT_TRUE(boot.is_object()) << path << ": " << page.body;
    EXPECT_EQ(boot["session"], json::parse(a.get("/api/session").body));
    EXPECT_EQ(boot["meters"], json::parse(a.get("/api/meters").body));
    for (const auto& m : boot["meters"]["meters"]) EXPECT_NE(m["id"], "spot");  // a price feed is no meter
    EXPECT_EQ(boot["settings"], json::parse(a.get("/api/settings").body));
    EXPECT_EQ(boot["alerts"], json::parse(a.get("/api/alerts?limit=1").body));
    // Before the page's script, which reads it; and never kept or revalidated by the browser.
    EXPECT_LT(page.body.find(kBootOpen), page.body.find("/assets/index.js"));
    EXPECT_EQ(page.header("etag"), "");
    EXPECT_EQ(page.header("cache-control"), "no-store");
    // The policy still allows no inline script: the block is data, which the browser never runs.
    EXPECT_NE(page.header("content-security-policy").find("script-src 'self'"), std::string::npos);
  }
  // A browser that kept the anonymous page asks whether it changed: it did, it now has data.
  const auto revalidated = fetch(a.server->port(), "GET", "/", {{"Cookie", a.cookie}, {"If-None-Match", anonymous.header("etag")}});
  EXPECT_EQ(revalidated.status, 200);
  EXPECT_TRUE(boot_of(revalidated.body).is_object());
  // Assets stay files, with their tag.
  const auto script = a.get("/assets/index.js");
  EXPECT_EQ(script.body, "export {};");
  EXPECT_FALSE(script.header("etag").empty());
  // After logging out, nothing.
  ASSERT_EQ(a.post("/api/logout", json::object()).status, 200);
  EXPECT_EQ(a.get("/").body.find(kBootOpen), std::string::npos);
}

TEST(BootData, AShareLinkCarriesOnlyItsScopeEvenInTheAdminsBrowser) {
  Api a;
  std::filesystem::create_directories(a.t.dir / "web");
  std::ofstream(a.t.dir / "web" / "index.html") << "<!doctype html><html><head><title>meterd</title></head><body></body></html>";
  a.login();
  // A label that would end the block or open a comment, if written as it is.
  const std::string label = "Flat </script><script>alert(1)</script> <!-- &amp; \\u003c";
  const auto token = a.share({{"label", label}, {"meters", {"house"}}, {"from", kNow - 86'400'000LL}, {"to", kNow}, {"detail", "daily"}});
  for (const bool with_admin_cookie : {false, true}) {
    for (const auto& path : {"/s/" + token, "/s/" + token + "/"}) {
      const auto page = a.get(path, with_admin_cookie);
      ASSERT_EQ(page.status, 200) << path;
      const auto start = page.body.find(kBootOpen);
      ASSERT_NE(start, std::string::npos) << path << " " << with_admin_cookie << page.body;
      const auto block = page.body.substr(start + kBootOpen.size(), page.body.find("</script>", start + kBootOpen.size()) - start - kBootOpen.size());
      EXPECT_EQ(block.find('<'), std::string::npos) << block;
      const auto boot = boot_of(page.body);
      EXPECT_EQ(boot["session"], json::parse(a.get("/s/" + token + "/api/session", false).body));
      EXPECT_EQ(boot["session"]["kind"], "share");
      EXPECT_EQ(boot["session"]["label"], label);
      EXPECT_EQ(boot["meters"], json::parse(a.get("/s/" + token + "/api/meters", false).body));
      ASSERT_EQ(boot["meters"]["meters"].size(), 1u);
      EXPECT_EQ(boot["meters"]["meters"][0]["id"], "house");
      EXPECT_FALSE(boot.contains("settings"));
      EXPECT_FALSE(boot.contains("alerts"));
    }
  }
  // Another page under /s/ is no share's and gets no admin data either.
  EXPECT_TRUE(boot_of(a.get("/s/" + token + "/elsewhere").body).is_null());
  // A revoked link: its page, with nothing in it.
  const auto list = json::parse(a.get("/api/admin/shares").body)["shares"];
  ASSERT_EQ(fetch(a.server->port(), "DELETE", "/api/admin/shares/" + list[0]["id"].get<std::string>(), {{"Cookie", a.cookie}}).status, 204);
  const auto revoked = a.get("/s/" + token, false);
  EXPECT_EQ(revoked.status, 404);
  EXPECT_TRUE(boot_of(revoked.body).is_null());
}

TEST(BootData, ScriptJsonEscapesEveryAngleBracketAndStaysTheSameJson) {
  const json value{{"a", "</script><!--x-->"}, {"b", {1, 2.5, nullptr}}, {"c", "Zürich \u2028"}};
  const auto text = script_json(value);
  EXPECT_EQ(text.find('<'), std::string::npos) << text;
  EXPECT_EQ(json::parse(text), value);
  EXPECT_EQ(with_boot_data("<html><HEAD></HEAD></html>", json{{"k", 1}}),
            "<html><HEAD><script type=\"application/json\" id=\"boot\">{\"k\":1}</script></HEAD></html>");
  EXPECT_EQ(with_boot_data("<p>x</p>", json::object()), "<script type=\"application/json\" id=\"boot\">{}</script><p>x</p>");
}

TEST(AnswerCache, KeepsAnAnswerForItsStoreGenerationOnly) {
  AnswerCache cache(1000);
  int made = 0;
  const auto make = [&] { return "answer " + std::to_string(++made); };
  EXPECT_EQ(*cache.get("a", 1, make), "answer 1");
  EXPECT_EQ(*cache.get("a", 1, make), "answer 1");  // kept
  EXPECT_EQ(*cache.get("b", 1, make), "answer 2");
  EXPECT_EQ(*cache.get("a", 2, make), "answer 3");  // the store changed: made anew
  EXPECT_EQ(cache.entries(), 1u);                   // and nothing of generation 1 is left
  // A request that read the generation before the change is answered, but its answer (maybe
  // made from the older data) is not kept, and a newer one is never served to it.
  EXPECT_EQ(*cache.get("c", 1, make), "answer 4");
  EXPECT_EQ(*cache.get("a", 1, make), "answer 5");
  EXPECT_EQ(*cache.get("c", 2, make), "answer 6");
  EXPECT_EQ(*cache.get("c", 2, make), "answer 6");
  EXPECT_EQ(cache.entries(), 2u);
}

TEST(AnswerCache, DropsTheOldestAnswersBeyondItsSize) {
  AnswerCache cache(10);
  int made = 0;
  const auto sized = [&](std::size_t n) { return [&made, n] { ++made; return std::string(n, 'x'); }; };
  cache.get("a", 1, sized(6));
  cache.get("b", 1, sized(4));
  EXPECT_EQ(cache.entries(), 2u);
  cache.get("c", 1, sized(3));  // "a" goes
  EXPECT_EQ(cache.entries(), 2u);
  cache.get("b", 1, sized(4));
  EXPECT_EQ(made, 3);           // "b" was still kept
  cache.get("a", 1, sized(6));
  EXPECT_EQ(made, 4);
  cache.get("big", 1, sized(11));  // larger than the whole cache: answered, not kept
  cache.get("big", 1, sized(11));
  EXPECT_EQ(made, 6);
}

// Answers are kept between changes of the store; each change is seen by the next request as
// if nothing had been kept: new readings, an import of history (intervals and old points) and
// retention.
TEST(DashboardApi, KeptAnswersFollowNewReadingsImportsAndRetention) {
  Api a{30};  // minutes are derived from raw points while those are kept
  a.login();
  auto& store = *a.t.store;
  const auto energy_of = [&](const std::string& day) {
    const auto r = a.get("/api/energy?meter=house&period=day&from=" + day + "&to=" + day + "T23:59");
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body)["periods"][0]["wh"];
  };
  const auto buckets_of = [&](const std::string& quantity, const std::string& day) {
    const auto r = a.get("/api/series?meter=house&quantity=" + quantity + "&resolution=1m&from=" + day + "T00:00&to=" + day + "T02:00");
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body)["t"].size();
  };
  const std::string target = "/api/series?meter=house&quantity=active_energy_import&resolution=1m&from=2024-01-30&to=2024-01-31";
  EXPECT_EQ(a.get(target).body, a.get(target).body);

  // New readings, after the ones the answers were made from.
  EXPECT_TRUE(energy_of("2024-02-02").is_null());
  EXPECT_EQ(buckets_of("active_energy_import", "2024-02-02"), 0u);
  for (std::int64_t x = kNow; x < kNow + 2 * 86'400'000LL; x += 60000)
    store.add("house", "active_energy_import", "Wh", {x, static_cast<double>(x - kNow) / 3600.0 + 1e6});
  store.flush();
  EXPECT_NEAR(energy_of("2024-02-02").get<double>(), 24000, 1);
  EXPECT_EQ(buckets_of("active_energy_import", "2024-02-02"), 120u);

  // An import of history: energy per interval before the live register began, and old points.
  EXPECT_TRUE(energy_of("2024-01-10").is_null());
  store.add_interval("house", "active_energy_import", "kWh", 1704841200000, 1704927600000, 7.5, "");  // 2024-01-10 local
  store.flush();
  EXPECT_NEAR(energy_of("2024-01-10").get<double>(), 7500, 1e-6);
  EXPECT_EQ(buckets_of("voltage_l1", "2024-01-20"), 0u);
  for (std::int64_t x = 1705705200000; x < 1705705200000 + 3'600'000; x += 60000) store.add("house", "voltage_l1", "V", {x, 229});
  store.flush();
  EXPECT_EQ(buckets_of("voltage_l1", "2024-01-20"), 60u);

  // Retention: a year and more later the raw points and minutes of these days are gone.
  store.enforce_retention(kNow + 402 * 86'400'000LL);
  EXPECT_EQ(buckets_of("active_energy_import", "2024-02-02"), 0u);
  EXPECT_EQ(buckets_of("voltage_l1", "2024-01-20"), 0u);
}
