// The whole `meterd` process killed with SIGKILL while its InfluxDB sink holds readings that
// the (stopped) server never acknowledged; after a restart every reading arrives, once.
#include <gtest/gtest.h>

#include <fstream>

#include "influx_server.hpp"
#include "server_process.hpp"
#include "wait_until.hpp"

using namespace meterd::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr int kPushes = 400;

fs::path fresh_dir(const std::string& name) {
  auto d = fs::path(METERD_BUILD_DIR) / "test-work" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

long lines_in(const fs::path& p) {
  std::ifstream in(p);
  long n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

std::string influx_section(const InfluxServer& influx) {
  return "[sink.influx]\nplugin = influxdb\nurl = " + influx.url() +
         "\nretry_initial_ms = 100\nretry_max_ms = 400\nbatch_interval_ms = 200\n";
}

}  // namespace

TEST(MeterdSigkill, QueuedReadingsSurviveAKilledProcessAndArriveOnce) {
  const auto dir = fresh_dir("meterd-sigkill");
  InfluxServer influx(dir / "influx");
  influx.start();
  influx.query("CREATE DATABASE meterd");
  influx.stop();  // down while meterd produces: everything stays in the disk queue

  // Run 1: a simulated meter into the InfluxDB sink (server down) and a file sink that shows
  // when every reading has been consumed.
  std::ofstream(dir / "run1.conf") << "[meterd]\nstate_dir = state\n"
                                      "[source.sim]\nplugin = simulator\nmeters = house=K1\nspeed = 0\n"
                                      "start = 2026-01-01T00:00:00\ncount = " << kPushes << "\n"
                                   << influx_section(influx) << "[sink.seen]\nplugin = file\ndirectory = " << (dir / "seen").string()
                                   << "\n";
  ServerProcess run1({METERD_BUILD_DIR "/meterd", "--config", (dir / "run1.conf").string()}, dir / "run1.log");
  run1.start();
  ASSERT_TRUE(wait_until([&] { return lines_in(dir / "seen" / "seen.jsonl") == kPushes; }, 60s)) << run1.log();
  std::this_thread::sleep_for(500ms);
  run1.kill();

  // Run 2: no source (an import from nowhere keeps the pipeline valid), the same sink and state.
  influx.start();
  std::ofstream(dir / "run2.conf") << "[meterd]\nstate_dir = state\n[bus]\nimport = tcp://127.0.0.1:9\n"
                                   << influx_section(influx);
  ServerProcess run2({METERD_BUILD_DIR "/meterd", "--config", (dir / "run2.conf").string()}, dir / "run2.log");
  run2.start();
  const auto delivered = [&] {
    return influx.count("SELECT count(value) FROM power WHERE meter='K1' AND obis='1-0:1.7.0'", "meterd");
  };
  EXPECT_TRUE(wait_until([&] { return delivered() == kPushes; }, 60s))
      << "delivered " << delivered() << " of " << kPushes << "\n" << run2.log();
  // A batch replayed after the kill lands on the same series and timestamps and overwrites
  // itself, so the count stays exact whether or not part of it had been sent before.
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(delivered(), kPushes);
  run2.stop();
}
