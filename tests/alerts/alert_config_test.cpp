// The alerts sink through the real binary: --check-config on rules, and a run whose notices
// reach a webhook receiver, then a restart that neither fires again nor forgets.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "server_process.hpp"
#include "temp_dir.hpp"
#include "wait_until.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_text(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }

int check(const fs::path& dir, const std::string& config, std::string& output) {
  write_text(dir / "check.conf", config);
  meterd::test::ServerProcess p({METERD_BUILD_DIR "/meterd", "--check-config", (dir / "check.conf").string()}, dir / "check.log");
  p.start();
  const int status = p.wait_exit(30s);
  output = read_text(dir / "check.log");
  return status;
}

std::string simulator(int count) {
  return "[source.sim]\nplugin = simulator\nmeters = house=K1\nspeed = 0\nstart = 2026-01-01T00:00:00\n"
         "interval_ms = 5000\ncount = " + std::to_string(count) + "\n";
}

TEST(AlertConfig, CheckConfigNamesWhatIsWrongWithARule) {
  meterd::test_support::TempDir dir;
  const std::string head = simulator(1) + "[sink.alerts]\nplugin = alerts\nwebhook_url = http://127.0.0.1:9/hook\n";
  std::string out;
  EXPECT_EQ(check(dir.path(), head + "alert.big.when = power above 3 kW\nalert.big.for = 5 min\n", out), 0) << out;
  const std::vector<std::pair<std::string, std::string>> cases{
      {"alert.big.when = power above 3\n", "the unit is missing"},
      {"alert.big.when = power above 3 kW\nalert.big.for = 5 minuts\n", "not a duration"},
      {"alert.big.when = price above 0.30\n", "wait for dynamic prices"},
      {"alert.big.when = power above 3 kW\nalert.big.colour = red\n", "unknown rule setting 'colour'"},
      {"meters = K1\nalert.big.when = power above 3 kW\nalert.big.meter = K7\n", "meter 'K7' is not in this sink's 'meters' list"},
      {"alert.big.when = voltage outside 250 V\n", "207 V to 253 V"},
  };
  for (const auto& [rules, expected] : cases) {
    EXPECT_EQ(check(dir.path(), head + rules, out), 2) << rules << out;
    EXPECT_NE(out.find("[sink.alerts]"), std::string::npos) << out;
    EXPECT_NE(out.find(expected), std::string::npos) << rules << " -> " << out;
  }
  EXPECT_EQ(check(dir.path(), simulator(1) + "[sink.alerts]\nplugin = alerts\nalert.x.when = silent 5 min\n", out), 2);
  EXPECT_NE(out.find("no channel is configured"), std::string::npos) << out;
}

// The ini blocks of docs/alerts.md that form a whole sink section pass the check as written.
TEST(AlertConfig, TheDocumentedExamplesPassTheCheck) {
  meterd::test_support::TempDir dir;
  const std::string doc = read_text(METERD_SOURCE_DIR "/docs/alerts.md");
  int checked = 0;
  for (std::size_t at = doc.find("```ini\n[sink.alerts]"); at != std::string::npos;
       at = doc.find("```ini\n[sink.alerts]", at + 1)) {
    const auto start = at + 7;
    const std::string block = doc.substr(start, doc.find("```", start) - start);
    std::string out;
    EXPECT_EQ(check(dir.path(), simulator(1) + block, out), 0) << block << out;
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

std::vector<nlohmann::json> notices(const fs::path& file) {
  std::vector<nlohmann::json> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line)["body"]);
  return out;
}

TEST(AlertConfig, NoticesReachTheWebhookAndARestartDoesNotRepeatThem) {
  meterd::test_support::TempDir dir;
  const auto port = meterd::test::free_loopback_port();
  const auto received = dir.path() / "received.jsonl";
  meterd::test::ServerProcess receiver({"/usr/bin/python3", METERD_SOURCE_DIR "/tests/alerts/webhook_receiver.py",
                                        std::to_string(port), received.string(), "k"},
                                       dir.path() / "receiver.log");
  receiver.start();
  ASSERT_TRUE(meterd::test::wait_for_port(port, 10s));
  write_text(dir.path() / "run.conf",
             "[meterd]\nstate_dir = " + (dir.path() / "state").string() + "\ntime_zone = Europe/Zurich\n" + simulator(20) +
                 "[sink.alerts]\nplugin = alerts\nwebhook_url = http://127.0.0.1:" + std::to_string(port) +
                 "/hook\nwebhook_secret = k\nmax_age = 0\nretry_initial_ms = 100\n"
                 "alert.busy.when = power above 1 W\nalert.gone.when = silent 2 s\nalert.gone.meter = K1\n");
  auto run = [&](std::size_t until) {
    meterd::test::ServerProcess meterd({METERD_BUILD_DIR "/meterd", "--config", (dir.path() / "run.conf").string()},
                                       dir.path() / "meterd.log");
    meterd.start();
    EXPECT_TRUE(meterd::test::wait_until([&] { return notices(received).size() >= until; }, 30s)) << meterd.log();
    std::this_thread::sleep_for(4s);  // room for anything that should not come
    meterd.stop();
  };
  run(2);
  auto got = notices(received);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0]["rule"], "busy");
  EXPECT_EQ(got[0]["state"], "firing");
  EXPECT_EQ(got[1]["rule"], "gone");
  EXPECT_EQ(got[1]["state"], "firing");
  run(3);
  got = notices(received);
  ASSERT_EQ(got.size(), 3u) << "after the restart only the silence resolves; busy is still the same episode, "
                               "and the new silence falls in the cool-down";
  EXPECT_EQ(got[2]["rule"], "gone");
  EXPECT_EQ(got[2]["state"], "resolved");
}

}  // namespace
