// The real `meterd` binary with the simulator feeding the dashboard sink, queried over a real
// socket: generated admin password printed once, login, readings stored and accounted,
// front end served with caching headers, a share link, and nothing committed lost to kill -9;
// and the alerts an alerts sink announces on the bus, shown to the owner only.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "http_test_client.hpp"
#include "meterd_child.hpp"
#include "store_fixture.hpp"

extern char** environ;

using meterd::http::testing::fetch;
using nlohmann::json;

namespace {

using meterd::dashboard::testing::MeterdProcess;
using meterd::dashboard::testing::slurp;

// The simulated hours lie in 2024: raw retention counts from today, so with its default of
// 30 days the second run's first retention pass would rightly delete them. Keep raw for ever.
void write_config(const std::filesystem::path& file, const std::filesystem::path& dir, const std::string& start,
                  int count) {
  std::ofstream out(file);
  out << "[meterd]\nstate_dir = " << (dir / "state").string() << "\ntime_zone = Europe/Zurich\nstats_interval = 3600\n"
      << "plugin_dir = " << METERD_BUILD_DIR << "/plugins\n\n"
      << "[source.sim]\nplugin = simulator\nmeters = house,heat_pump\ninterval_ms = 5000\nspeed = 0\n"
      << "count = " << count << "\nstart = " << start << "\n\n"
      << "[sink.dash]\nplugin = dashboard\nport = 0\nraw_days = 0\nweb_root = " << (dir / "web").string() << "\n";
}

struct Client {
  unsigned short port;
  std::string cookie;
  meterd::http::testing::Reply get(const std::string& target) const {
    return fetch(port, "GET", target, cookie.empty() ? std::vector<std::pair<std::string, std::string>>{}
                                                     : std::vector<std::pair<std::string, std::string>>{{"Cookie", cookie}});
  }
  meterd::http::testing::Reply post(const std::string& target, const json& body) const {
    std::vector<std::pair<std::string, std::string>> h{{"Content-Type", "application/json"}};
    if (!cookie.empty()) h.push_back({"Cookie", cookie});
    return fetch(port, "POST", target, h, body.dump());
  }
};

// 1440 pushes at 5 s: two hours from 2024-03-01T00:00Z, 01:00 to 03:00 local time.
constexpr int kCount = 1440;
const std::string kRaw = "from=2024-03-01T00:00:00Z&to=2024-03-01T02:00:00Z";

// Polls until the store has committed every simulated power reading of a meter.
std::size_t wait_for_points(const Client& c, const std::string& meter, std::size_t want) {
  std::size_t have = 0;
  for (int i = 0; i < 300 && have < want; ++i) {
    const auto r = c.get("/api/series?meter=" + meter + "&quantity=active_power_import&resolution=raw&" + kRaw);
    if (r.status == 200) have = json::parse(r.body)["t"].size();
    if (have < want) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return have;
}

}  // namespace

TEST(DashboardEndToEnd, SimulatorThroughMeterdToHttpApi) {
  const auto dir = meterd::dashboard::testing::fresh_dir("e2e");
  std::filesystem::create_directories(dir / "web" / "assets");
  std::ofstream(dir / "web" / "index.html") << "<!doctype html><title>meterd</title>";
  std::ofstream(dir / "web" / "assets" / "app-1a2b3c.js") << "console.log(1)";
  write_config(dir / "meterd.conf", dir, "2024-03-01T00:00:00", kCount);

  std::string password;
  {
    MeterdProcess meterd(dir / "meterd.conf", dir / "run1.log");
    ASSERT_TRUE(meterd.started());
    const auto port = meterd.wait_for_port(std::chrono::seconds(30));
    ASSERT_NE(port, 0) << meterd.log();
    // No password configured: one is generated and printed once.
    std::smatch m;
    const auto log = meterd.log();
    const std::regex shown(R"(dashboard admin password \(shown once, store it now\): ([0-9A-Fa-f]+))");
    ASSERT_TRUE(std::regex_search(log, m, shown)) << log;
    password = m[1];

    Client c{port, {}};
    EXPECT_EQ(c.get("/api/meters").status, 401);
    auto login = c.post("/api/login", {{"password", password}});
    ASSERT_EQ(login.status, 200) << login.body;
    const auto set_cookie = login.header("set-cookie");
    // Listening on loopback only: no Secure flag, so the demo works over plain HTTP.
    EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << set_cookie;
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
    c.cookie = set_cookie.substr(0, set_cookie.find(';'));

    ASSERT_EQ(wait_for_points(c, "SIM-house", kCount), static_cast<std::size_t>(kCount));
    ASSERT_EQ(wait_for_points(c, "SIM-heat_pump", kCount), static_cast<std::size_t>(kCount));

    const auto meters = json::parse(c.get("/api/meters").body);
    ASSERT_EQ(meters["meters"].size(), 2u) << meters.dump();
    EXPECT_EQ(meters["time_zone"], "Europe/Zurich");

    // Hourly energy from the register adds up to the register's own difference.
    const auto reg = json::parse(
        c.get("/api/series?meter=SIM-house&quantity=active_energy_import&resolution=raw&" + kRaw).body);
    ASSERT_EQ(reg["value"].size(), static_cast<std::size_t>(kCount));
    const double register_wh = reg["value"].back().get<double>() - reg["value"].front().get<double>();
    const auto hours = c.get("/api/energy?meter=SIM-house&period=hour&" + kRaw);
    ASSERT_EQ(hours.status, 200) << hours.body;
    const auto periods = json::parse(hours.body)["periods"];
    ASSERT_EQ(periods.size(), 2u);
    double sum = 0;
    for (const auto& p : periods) {
      ASSERT_FALSE(p["wh"].is_null());
      EXPECT_EQ(p["source"], "register");
      sum += p["wh"].get<double>();
    }
    EXPECT_GT(register_wh, 0);
    // The first hour has no step into its first sample: all later steps are accounted.
    EXPECT_NEAR(sum, register_wh, 1e-6);

    // Front end: the entry point carries the session's start-up data, so no cache keeps it;
    // fingerprinted assets are cached for ever.
    const auto index = c.get("/");
    EXPECT_EQ(index.status, 200);
    EXPECT_NE(index.body.find("<title>meterd</title>"), std::string::npos);
    EXPECT_NE(index.header("cache-control").find("no-store"), std::string::npos);
    EXPECT_NE(index.body.find("id=\"boot\""), std::string::npos);
    EXPECT_NE(c.get("/assets/app-1a2b3c.js").header("cache-control").find("immutable"), std::string::npos);
    EXPECT_NE(index.header("content-security-policy").find("default-src 'self'"), std::string::npos);

    // A share link sees its meter and nothing else.
    const auto made = c.post("/api/admin/shares", {{"meters", {"SIM-heat_pump"}}, {"from", "2024-03-01"}, {"to", "2024-03-02"},
                                                   {"detail", "hourly"}});
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string token = json::parse(made.body)["token"];
    Client anonymous{port, {}};
    const auto shared = json::parse(anonymous.get("/s/" + token + "/api/meters").body);
    ASSERT_EQ(shared["meters"].size(), 1u);
    EXPECT_EQ(shared["meters"][0]["id"], "SIM-heat_pump");
    EXPECT_EQ(anonymous.get("/s/" + token + "/api/energy?meter=SIM-house&" + kRaw).status, 404);
    EXPECT_EQ(anonymous.get("/api/storage").status, 401);

    const auto storage = json::parse(c.get("/api/storage").body);
    EXPECT_GT(storage["raw_points"].get<std::uint64_t>(), 2u * kCount);
    // Everything visible through the API is committed; a kill -9 must not lose it.
    meterd.kill_hard();
  }

  // Second run on the same state: a later day, so the first two hours are only what survived.
  write_config(dir / "meterd.conf", dir, "2024-03-05T00:00:00", 10);
  MeterdProcess meterd(dir / "meterd.conf", dir / "run2.log");
  const auto port = meterd.wait_for_port(std::chrono::seconds(30));
  ASSERT_NE(port, 0) << meterd.log();
  EXPECT_EQ(meterd.log().find("shown once"), std::string::npos) << "the password is printed only once";
  EXPECT_EQ(meterd.log().find(password), std::string::npos) << "the password is printed only once";
  EXPECT_NE(meterd.log().find("access.sqlite"), std::string::npos) << "later starts say how to get a new one";
  Client c{port, {}};
  const auto login = c.post("/api/login", {{"password", password}});
  ASSERT_EQ(login.status, 200) << "the stored hash survives restarts";
  c.cookie = login.header("set-cookie").substr(0, login.header("set-cookie").find(';'));
  EXPECT_EQ(wait_for_points(c, "SIM-house", kCount), static_cast<std::size_t>(kCount));
  EXPECT_EQ(meterd.terminate(), 0) << meterd.log();
  std::filesystem::remove_all(dir);
}

TEST(DashboardEndToEnd, BadPricesStopTheStartWithAMessageNamingThem) {
  const auto dir = meterd::dashboard::testing::fresh_dir("e2e-prices");
  struct Case {
    std::string options, says;
  };
  const std::vector<Case> cases{
      {"prices = 2026-01-01 ht=0.32 nt=0.22, 2025-01-01 ht=0.31 nt=0.21\nht_schedule = Mon-Fri 07-20",
       "'2025-01-01 ht=0.31 nt=0.21' is not after 2026-01-01"},
      {"prices = 2025-01-01 ht=0.31 nt=0.21", "no ht_schedule is set"},
      {"prices = 2025-01-01 price=0.27\nprice = 0.3", "options 'prices' and 'price' exclude each other"},
      {"fixed_fee_per_month = -5", "option 'fixed_fee_per_month': invalid value '-5' (must be at least 0)"},
      {"bands = peak: Mon-Fri 17-21; day: Mon-Fri 07-18; night: rest\nprices = 2026-01-01 peak=0.4 day=0.3 night=0.2",
       "claims Mon 17:00, which is already in band 'peak'"},
      {"holiday_canton = Zurich", "option 'holiday_canton': 'Zurich' is no Swiss canton"},
      {"feed_in = dynamic", "option 'feed_in' is 'dynamic' but 'dynamic_prices' names no price meter"},
      {"levies = 0,02", "option 'levies': '0,02' has a comma"},
  };
  for (const auto& c : cases) {
    const auto config = dir / "meterd.conf";
    write_config(config, dir, "2024-03-01T00:00:00", 1);
    std::ofstream(config, std::ios::app) << c.options << "\n";
    MeterdProcess meterd(config, dir / "meterd.log");
    ASSERT_TRUE(meterd.started());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (meterd.log().find(c.says) == std::string::npos && !meterd.exited() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto log = meterd.log();
    EXPECT_NE(log.find(c.says), std::string::npos) << c.options << "\n" << log;
    EXPECT_EQ(log.find("dashboard on http"), std::string::npos) << c.options << ": the dashboard served anyway";
  }
  std::filesystem::remove_all(dir);
}

// Dynamic prices configured but none known for the present: costs fall back to the fixed price
// and the dashboard says so, naming the price meter.
TEST(DashboardEndToEnd, AMissingPriceFeedIsReportedAsStale) {
  const auto dir = meterd::dashboard::testing::fresh_dir("e2e-stale");
  const auto config = dir / "meterd.conf";
  write_config(config, dir, "2024-03-01T00:00:00", 1);
  std::ofstream(config, std::ios::app) << "price = 0.3\ndynamic_prices = spot\n";
  MeterdProcess meterd(config, dir / "meterd.log");
  ASSERT_TRUE(meterd.started());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (meterd.log().find("price_feed_stale") == std::string::npos && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto log = meterd.log();
  EXPECT_NE(log.find("price_feed_stale"), std::string::npos) << log;
  EXPECT_NE(log.find("no dynamic price from meter 'spot' covers the present"), std::string::npos) << log;
  EXPECT_EQ(meterd.terminate(), 0) << log;
  std::filesystem::remove_all(dir);
}

// An alerts sink next to the dashboard: its rules and notices reach /api/alerts over the bus,
// are kept over a restart, and are the owner's alone (no share link, no anonymous caller).
TEST(DashboardEndToEnd, AlertsFromTheBusForTheOwnerOnly) {
  const auto dir = meterd::dashboard::testing::fresh_dir("e2e-alerts");
  const auto write = [&] {
    std::ofstream out(dir / "meterd.conf");
    out << "[meterd]\nstate_dir = " << (dir / "state").string() << "\ntime_zone = Europe/Zurich\n"
        << "plugin_dir = " << METERD_BUILD_DIR << "/plugins\n\n"
        << "[source.sim]\nplugin = simulator\nmeters = house\ninterval_ms = 500\nspeed = 1\nstart = now\n\n"
        << "[sink.dash]\nplugin = dashboard\nport = 0\nadmin_password = alerts-secret\nsecure_cookies = false\n\n"
        // Port 9 of loopback answers nothing: delivery fails and is retried, which never blocks.
        << "[sink.alerts]\nplugin = alerts\nwebhook_url = http://127.0.0.1:9/\n"
        << "alert.house_on.when = power above 1 W\nalert.house_on.for = 1 s\n"
        << "alert.huge.when = power above 900 kW\n";
  };
  write();
  const auto alerts_when = [](const Client& c, const std::function<bool(const json&)>& done) {
    json reply;
    for (int i = 0; i < 200; ++i) {
      const auto r = c.get("/api/alerts");
      if (r.status == 200) reply = json::parse(r.body);
      if (r.status == 200 && done(reply)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return reply;
  };
  const auto rule = [](const json& reply, const std::string& name) {
    for (const auto& r : reply["rules"])
      if (r["rule"] == name) return r;
    return json();
  };
  const auto login = [](unsigned short port) {
    Client c{port, {}};
    const auto r = c.post("/api/login", {{"password", "alerts-secret"}});
    c.cookie = r.header("set-cookie").substr(0, r.header("set-cookie").find(';'));
    return c;
  };
  std::int64_t fired_ms = 0;
  {
    MeterdProcess meterd(dir / "meterd.conf", dir / "run1.log");
    const auto port = meterd.wait_for_port(std::chrono::seconds(30));
    ASSERT_NE(port, 0) << meterd.log();
    Client anonymous{port, {}};
    EXPECT_EQ(anonymous.get("/api/alerts").status, 401);
    const auto c = login(port);
    const auto reply = alerts_when(c, [](const json& j) { return j["firing"] == 1 && j["rules"].size() == 2; });
    ASSERT_EQ(reply["firing"], 1) << reply.dump() << meterd.log();
    const auto on = rule(reply, "house_on");
    EXPECT_EQ(on["source"], "sink.alerts");
    EXPECT_EQ(on["definition"], "power above 1 W");
    EXPECT_EQ(on["state"], "firing");
    ASSERT_EQ(on["firing"].size(), 1u);
    EXPECT_EQ(on["firing"][0]["subject"], "SIM-house");
    fired_ms = on["last_fired_ms"].get<std::int64_t>();
    // The rule that never fired is listed from its announcement alone.
    const auto huge = rule(reply, "huge");
    EXPECT_EQ(huge["state"], "ok");
    EXPECT_TRUE(huge["last_fired_ms"].is_null());
    ASSERT_EQ(reply["history"].size(), 1u) << reply.dump();
    EXPECT_EQ(reply["history"][0]["kind"], "firing");
    EXPECT_EQ(reply["history"][0]["rule"], "house_on");
    EXPECT_EQ(reply["history"][0]["time_ms"], fired_ms);
    EXPECT_EQ(reply["history"][0]["message"].get<std::string>().rfind("house_on: ", 0), 0u);
    EXPECT_EQ(c.get("/api/alerts?limit=0").status, 400);
    EXPECT_EQ(c.get("/api/alerts?since=1").status, 400);

    // A share link reaches the shared meter's data, never the installation's alerts.
    const auto made = c.post("/api/admin/shares", {{"meters", {"SIM-house"}}, {"from", "2020-01-01"}, {"to", "2090-01-01"}, {"detail", "full"}});
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string token = json::parse(made.body)["token"];
    EXPECT_EQ(anonymous.get("/s/" + token + "/api/meters").status, 200);
    EXPECT_EQ(anonymous.get("/s/" + token + "/api/alerts").status, 404);
    EXPECT_EQ(meterd.terminate(), 0) << meterd.log();
  }
  // After a restart the episode goes on without a new notice, and the dashboard still shows it.
  MeterdProcess meterd(dir / "meterd.conf", dir / "run2.log");
  const auto port = meterd.wait_for_port(std::chrono::seconds(30));
  ASSERT_NE(port, 0) << meterd.log();
  const auto c = login(port);
  const auto announced = alerts_when(c, [](const json& j) { return j["rules"].size() == 2; });
  ASSERT_EQ(announced["rules"].size(), 2u) << announced.dump();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const auto later = json::parse(c.get("/api/alerts").body);
  EXPECT_EQ(later["firing"], 1) << later.dump();
  EXPECT_EQ(later["history"].size(), 1u) << later.dump();
  EXPECT_EQ(rule(later, "house_on")["last_fired_ms"], fired_ms);
  EXPECT_EQ(meterd.terminate(), 0) << meterd.log();
  std::filesystem::remove_all(dir);
}
