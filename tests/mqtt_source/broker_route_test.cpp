// The route between hosts over a broker, with two real meterd processes: a "Pi" (simulated
// meter -> mqtt sink with its disk queue) and a "server" (mqtt source -> dashboard), joined by
// a real mosquitto with persistence. On the way the broker is restarted, the link is down
// for a minute, and each meterd is killed with -9 and started again. In the
// end the dashboard's store must hold every simulated reading exactly once.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "fault_harness.hpp"
#include "http_test_client.hpp"
#include "mosquitto_server.hpp"
#include "wait_until.hpp"

using namespace meterd::faults;
using namespace meterd::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr std::int64_t kStartMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr int kCount = 500;                           // 5 s apart on the simulated clock
constexpr const char* kPassword = "route-test-password";

std::string pi_config(const MosquittoServer& broker) {
  // speed 25: the 500 pushes take 100 s of real time, so readings are produced before, during
  // and after the outage; a restart begins again at `start`.
  return "[meterd]\nstate_dir = state\n"
         "[source.sim]\nplugin = simulator\nmeters = house=K1\nspeed = 25\nstart = 2026-01-01T00:00:00\n"
         "interval_ms = 5000\ncount = " + std::to_string(kCount) + "\n"
         "[sink.up]\nplugin = mqtt\nport = " + std::to_string(broker.port()) +
         "\ndiscovery = false\nsingle_value_topics = false\nretry_initial_ms = 100\nretry_max_ms = 1000\n"
         "batch_interval_ms = 100\nack_timeout_ms = 3000\n";
}

std::string server_config(const MosquittoServer& broker, std::uint16_t dashboard_port) {
  return "[meterd]\nstate_dir = state\n"
         "[source.pi]\nplugin = mqtt\nformat = meterd\nport = " + std::to_string(broker.port()) +
         "\nretry_initial_ms = 100\nretry_max_ms = 1000\n"
         "[sink.dash]\nplugin = dashboard\nport = " + std::to_string(dashboard_port) +
         "\nraw_days = 0\nadmin_password = " + kPassword + "\n";
}

// The times of the power series the dashboard stored for K1, as reading ids; empty while the
// dashboard is not reachable. Logs in again when the session does not show K1 (a session
// opened before the first reading may not), at most every 3 s: the dashboard throttles logins.
std::vector<std::string> stored_ids(std::uint16_t port) {
  using meterd::http::testing::fetch;
  static std::string cookie;
  static auto last_login = std::chrono::steady_clock::now() - 1h;
  try {
    const std::string target = "/api/series?meter=K1&quantity=active_power_import&resolution=raw"
                               "&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z";
    auto series = fetch(port, "GET", target, {{"Cookie", cookie}});
    if (series.status != 200 && std::chrono::steady_clock::now() - last_login > 3s) {
      last_login = std::chrono::steady_clock::now();
      const auto login = fetch(port, "POST", "/api/login", {{"Content-Type", "application/json"}},
                               json{{"password", kPassword}}.dump());
      if (login.status != 200) return {};
      cookie = login.header("set-cookie").substr(0, login.header("set-cookie").find(';'));
      series = fetch(port, "GET", target, {{"Cookie", cookie}});
    }
    if (series.status != 200) return {};
    // Kept in a variable: a range-for over a member of a temporary would read a destroyed object.
    const json answer = json::parse(series.body);
    std::vector<std::string> ids;
    for (const auto& t : answer.at("t")) ids.push_back("sim/K1/" + std::to_string(t.get<std::int64_t>()));
    return ids;
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace

TEST(BrokerRoute, BrokerRestartLinkDownAndKillOfEitherMeterdLoseNothing) {
  const auto dir = fresh_dir("broker-route");
  std::filesystem::create_directories(dir / "pi");
  std::filesystem::create_directories(dir / "server");
  MosquittoServer broker(dir / "broker", "", true);
  broker.start();
  const std::uint16_t dashboard_port = free_loopback_port();
  auto server = start_meterd(dir / "server", "server", server_config(broker, dashboard_port));
  ASSERT_TRUE(wait_for_port(dashboard_port, 20s)) << server->log();
  auto pi = start_meterd(dir / "pi", "pi", pi_config(broker));
  const auto expected = simulator_ids("sim", "K1", kStartMs, 5000, kCount);
  const auto stored = [&] { return stored_ids(dashboard_port).size(); };

  ASSERT_TRUE(wait_until([&] { return stored() > 20; }, 30s)) << server->log() << pi->log();
  broker.stop();  // a restart: sessions and queued messages are saved and loaded again
  broker.start();
  std::this_thread::sleep_for(2s);
  pi->kill();  // readings produced but not yet in the disk queue come again from the simulator
  pi = start_meterd(dir / "pi", "pi-2", pi_config(broker));
  std::this_thread::sleep_for(3s);

  broker.stop();  // the link is down for a minute; the Pi keeps producing into its disk queue
  std::this_thread::sleep_for(5s);
  server->kill();  // while it waits for the broker
  server = start_meterd(dir / "server", "server-2", server_config(broker, dashboard_port));
  std::this_thread::sleep_for(55s);
  broker.start();

  // Killed again while it takes in the backlog.
  ASSERT_TRUE(wait_until([&] { return stored() > 0; }, 20s)) << server->log();
  std::this_thread::sleep_for(500ms);
  server->kill();
  server = start_meterd(dir / "server", "server-3", server_config(broker, dashboard_port));

  EXPECT_TRUE(wait_until([&] { return tally(expected, stored_ids(dashboard_port)).delivered == kCount; }, 90s))
      << tally(expected, stored_ids(dashboard_port)).summary() << "\n" << server->log() << "\n" << pi->log();
  const Tally t = tally(expected, stored_ids(dashboard_port));
  std::cout << "[tally] broker route (restart, link down 60 s, kill -9 of both sides): " << t.summary() << std::endl;
  EXPECT_EQ(t.lost, 0u);
  EXPECT_EQ(t.duplicates, 0u);
  EXPECT_EQ(stored_ids(dashboard_port).size(), static_cast<std::size_t>(kCount));
  server->stop();
  pi->stop();
}
