// The whole chain as a user runs it: `meterd --config` with the simulator playing an encrypted
// E450 on a pseudo-terminal, the e450_cii source decoding it, and the file sink writing JSON
// lines. The values in the file must be exactly what the simulated meter produced.

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <limits>
#include <sstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "cii_test_support.hpp"
#include "meterd_process.hpp"
#include "meterd/time_zone.hpp"
#include "simulated_meter.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using meterd::cii_test::e450_push;
using meterd::cii_test::kTestKey;
using meterd::cii_test::TempDir;
using meterd::test_support::MeterdProcess;
using meterd::test_support::read_json_lines;

namespace {

constexpr const char* kMeter = "LGZ1030000000077";
constexpr std::int64_t kStart = 1768467600;  // 2026-01-15T09:00:00Z
constexpr int kIntervalS = 5;
constexpr int kPushes = 16;

double value(const nlohmann::json& reading, const std::string& obis) {
  for (const auto& v : reading.at("values"))
    if (v.at("obis") == obis) return v.at("value").get<double>();
  ADD_FAILURE() << "no " << obis << " in " << reading.dump();
  return NAN;
}

}  // namespace

TEST(CiiPipeline, SimulatorFramesThroughE450CiiReachTheFileSinkUnchanged) {
  TempDir dir;
  const fs::path link = dir.path() / "meter.tty";
  const fs::path config = dir.path() / "pipeline.conf";
  std::ofstream(config) << "[meterd]\n"
                        << "state_dir = " << (dir.path() / "state").string() << "\n"
                        << "time_zone = Europe/Zurich\n"
                        << "[source.sim]\nplugin = simulator\nmeters = house=" << kMeter << "\n"
                        << "output = cii\ncii_transport = pty\ncii_link = " << link.string() << "\n"
                        << "key = " << kTestKey << "\n"
                        << "interval_ms = " << kIntervalS * 1000 << "\nspeed = 20\ncount = " << kPushes << "\n"
                        << "start = 2026-01-15T09:00:00\n"
                        << "[source.meter]\nplugin = e450_cii\ndevice = " << link.string() << "\n"
                        << "key = " << kTestKey << "\nreconnect_initial = 0.05\nreconnect_max = 0.2\n"
                        << "[sink.out]\nplugin = file\ndirectory = " << (dir.path() / "out").string() << "\n"
                        << "sources = meter\nfsync = always\n";
  MeterdProcess meterd(config);
  // The simulator's first pushes may come before the source has opened the terminal (opening
  // discards stale input), so wait for the tail of the run rather than for all of it.
  const fs::path output = dir.path() / "out" / "out.jsonl";
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(output)) {
      const auto lines = read_json_lines(output);
      if (!lines.empty() && lines.back().value("meter_time", "").find("T10:01:15+01:00") != std::string::npos) break;
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(meterd.terminate()) << "meterd did not exit cleanly on SIGTERM";

  // The same model with the same seed and clock predicts every push.
  const auto zone = meterd::TimeZone::load("Europe/Zurich");
  meterd::simulator::SimulatedMeter model(kMeter, meterd::simulator::Profile::house, 1);
  std::map<std::string, std::pair<int, meterd::DecodedMessage>> expected;
  for (int i = 0; i < kPushes; ++i) {
    const std::int64_t t = kStart + i * kIntervalS;
    expected[meterd::format_iso8601(t, zone->offset_at(t))] = {i, model.step(t, zone->utc_to_local(t))};
  }
  const auto lines = read_json_lines(output);
  ASSERT_GE(lines.size(), static_cast<std::size_t>(kPushes / 2)) << "too few pushes arrived";
  int consecutive = 0;
  double previous_energy = -1, previous_power = 0;
  int previous_index = -10;
  for (const auto& r : lines) {
    SCOPED_TRACE(r.dump());
    EXPECT_EQ(r.at("meter_id"), kMeter);
    EXPECT_EQ(r.at("source"), "meter");
    const auto it = expected.find(r.at("meter_time").get<std::string>());
    ASSERT_NE(it, expected.end()) << "a push the simulator never sent";
    auto want = [&](const char* obis) {
      for (const auto& v : it->second.second.values)
        if (v.obis == obis) return std::get<double>(v.value);
      return std::numeric_limits<double>::quiet_NaN();
    };
    EXPECT_EQ(value(r, "1-1:1.8.0"), want("1-0:1.8.0"));
    EXPECT_EQ(value(r, "1-0:1.7.0"), want("1-0:1.7.0"));
    EXPECT_EQ(value(r, "1-0:32.7.0"), want("1-0:32.7.0"));
    EXPECT_NEAR(value(r, "1-0:71.7.0"), want("1-0:71.7.0"), 1e-9);
    // The register rises by the power drawn since the last push (whole Wh on the wire).
    const double energy = value(r, "1-1:1.8.0");
    const int index = it->second.first;
    if (index == previous_index + 1) {
      EXPECT_GE(energy, previous_energy);
      EXPECT_NEAR(energy - previous_energy, previous_power * kIntervalS / 3600.0, 1.0 + 1e-9);
      ++consecutive;
    }
    previous_energy = energy;
    previous_power = value(r, "1-0:1.7.0");
    previous_index = index;
  }
  EXPECT_GE(consecutive, kPushes / 2 - 1);
}

namespace {

// The "Threads:" line of /proc/PID/status.
int thread_count(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  return -1;
}

// Waits up to 10 s for the reader to connect; -1 when it did not.
int accept_within(int listener) {
  pollfd p{listener, POLLIN, 0};
  if (::poll(&p, 1, 10'000) != 1) return -1;
  return ::accept(listener, nullptr, nullptr);
}

std::size_t lines_in(const fs::path& file) {
  std::ifstream in(file);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

bool wait_for_lines(const fs::path& file, std::size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (lines_in(file) < n) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

}  // namespace

// Many meters in one meterd are read by the one event loop of the core, not by a thread each:
// a hundred TCP gateways (this test plays them) cost a handful of threads, a gateway that
// drops its connection is reconnected while the others go on, and SIGTERM ends them all.
TEST(CiiPipeline, ManyMetersShareOneReaderThreadAndReconnectAlone) {
  constexpr int kMeters = 100;
  TempDir dir;
  std::vector<meterd::cii_test::LoopbackSocket> gateways;
  std::ostringstream config;
  config << "[meterd]\nstate_dir = " << (dir.path() / "state").string() << "\n";
  for (int i = 0; i < kMeters; ++i) {
    gateways.push_back(meterd::cii_test::bind_loopback());
    ASSERT_EQ(::listen(gateways.back().fd, 4), 0);
    config << "[source.m" << i << "]\nplugin = e450_cii\ntransport = tcp\naddress = " << gateways.back().address()
           << "\nkey = " << kTestKey << "\nreconnect_initial = 0.05\nreconnect_max = 0.2\n";
  }
  const fs::path output = dir.path() / "out" / "out.jsonl";
  config << "[sink.out]\nplugin = file\ndirectory = " << (dir.path() / "out").string() << "\nfsync = always\n";
  std::ofstream(dir.path() / "pipeline.conf") << config.str();
  MeterdProcess meterd(dir.path() / "pipeline.conf");

  const auto meter_id = [](int i) { return "LGZ" + std::to_string(1030000000000 + i); };
  std::vector<int> peers;
  for (int i = 0; i < kMeters; ++i) {
    peers.push_back(accept_within(gateways[static_cast<std::size_t>(i)].fd));
    ASSERT_GE(peers.back(), 0) << "meter " << i << " was never connected";
  }
  const auto push = [&](int i, std::uint32_t n) {
    const auto bytes = e450_push(n, meter_id(i), kTestKey);
    ASSERT_EQ(::write(peers[static_cast<std::size_t>(i)], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  };
  for (int i = 0; i < kMeters; ++i) push(i, 0);
  ASSERT_TRUE(wait_for_lines(output, kMeters)) << lines_in(output) << " of " << kMeters << " readings";
  // A thread per meter would be more than a hundred.
  EXPECT_LT(thread_count(meterd.pid()), 20);

  // Meter 7's gateway drops the connection; it is connected again and read on, with the rest.
  ::close(peers[7]);
  peers[7] = accept_within(gateways[7].fd);
  ASSERT_GE(peers[7], 0) << "meter 7 was not reconnected";
  for (int i = 0; i < kMeters; ++i) push(i, 1);
  ASSERT_TRUE(wait_for_lines(output, 2 * kMeters)) << lines_in(output) << " of " << 2 * kMeters << " readings";
  EXPECT_TRUE(meterd.terminate()) << "meterd did not exit cleanly on SIGTERM";

  std::map<std::string, int> per_meter;
  for (const auto& r : read_json_lines(output)) ++per_meter[r.at("meter_id").get<std::string>()];
  for (int i = 0; i < kMeters; ++i) EXPECT_EQ(per_meter[meter_id(i)], 2) << meter_id(i);
  for (int fd : peers) ::close(fd);
  for (const auto& g : gateways) ::close(g.fd);
}
