// The `meterd` binary run as a user runs it: real processes, real signals, real tcp.
#include <signal.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <thread>

#include "process_runner.hpp"
#include "server_process.hpp"

using namespace meterd::test;

namespace {

std::vector<std::string> meterd_args(std::vector<std::string> args) {
  std::vector<std::string> argv{meterd_binary(), "--plugin-dir", std::string(METERD_BUILD_DIR) + "/plugins",
                                "--plugin-dir", METERD_TEST_PLUGIN_DIR};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

long count_of(const std::string& counts, const std::string& key) {
  const auto at = counts.find(key + " ");
  return at == std::string::npos ? -1 : std::stol(counts.substr(at + key.size() + 1));
}

}  // namespace

TEST(MeterdProcess, BadConfigExitsNonZeroAndWritesNothing) {
  auto dir = fresh_dir("proc-bad");
  write_file(dir / "t.conf",
             "[source.a]\nplugin = simulator\n[sink.f]\nplugin = file\ndirectory = out\n[sink.g]\nplugin = file\n"
             "directory = out2\nrotate_bytes = lots\n");
  auto [status, out] = run_command(meterd_args({"--config", "t.conf"}), dir);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("t.conf:9: [sink.g] option 'rotate_bytes': invalid value 'lots'"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir / "out")) << "no partial output";
  EXPECT_FALSE(std::filesystem::exists(dir / "state"));
}

TEST(MeterdProcess, ARejectedValueWritesNothing) {
  auto dir = fresh_dir("proc-bad-value");
  write_file(dir / "t.conf", "[source.a]\nplugin = simulator\n[sink.f]\nplugin = file\ndirectory = out\nformat = xml\n");
  auto [status, out] = run_command(meterd_args({"--config", "t.conf"}), dir);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("t.conf:6: [sink.f] option 'format': invalid value 'xml' (unknown format 'xml' (use jsonl or csv))"),
            std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

// Every value start would refuse is refused by --check-config too, with the same message and
// exit status 2, and neither opens anything: the two run the same checks.
TEST(MeterdProcess, CheckConfigRefusesWhatStartWouldRefuse) {
  const std::string base = "[source.a]\nplugin = simulator\n[sink.f]\nplugin = file\ndirectory = out\n";
  const std::string dashboard = "[sink.d]\nplugin = dashboard\n";
  const std::string mqtt = "[sink.m]\nplugin = mqtt\n";
  const std::string pv_member = "community_member = pv: meters=PV; role=producer; from=2026-01-01\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[bus]\nhigh_water_mark = -1\n", "option 'high_water_mark': invalid value '-1' (must be 0 to 100000000)"},
      {"[bus]\nimport = tcp://nonexist\n", "option 'import': invalid value 'tcp://nonexist' (tcp:// needs HOST:PORT"},
      {"[bus]\nexport = garbage\n", "option 'export': invalid value 'garbage' (not an endpoint"},
      {"[bus]\nexport = tcp://0.0.0.0:70000\n", "port '70000' is not 1 to 65535"},
      {"[meterd]\ntime_zone = Europe\n", "option 'time_zone': unknown time zone 'Europe'"},
      {"[meterd]\nstats_interval = -5\n", "option 'stats_interval': invalid value '-5'"},
      {dashboard + "port = 65536\n", "option 'port': invalid value '65536' (must be 0 to 65535)"},
      {dashboard + "listen = 999.1.1.1\n", "option 'listen': invalid value '999.1.1.1' (must be an IP address"},
      {dashboard + "raw_days = -1\n", "option 'raw_days': invalid value '-1' (must be at least 0)"},
      {dashboard + "secure_cookies = maybe\n", "option 'secure_cookies': invalid value 'maybe' (must be one of auto, true, false)"},
      {dashboard + "ht_schedule = sometimes\n", "option 'ht_schedule': invalid value 'sometimes'"},
      {dashboard + "meter_names = nameless\n", "option 'meter_names': invalid value 'nameless'"},
      {dashboard + "meter_roles = A=sun\n", "'sun' for meter 'A' is not a role; use grid, pv, battery, heat_pump, ev or consumer"},
      {dashboard + "meter_roles = A=grid, B=grid\n", "meters 'A' and 'B' are both grid"},
      {"[sink.p]\nplugin = prometheus\nmeter_roles = A=grid, A=pv\n", "meter 'A' has a role twice; give each meter one role"},
      {dashboard + "threads = 1000000\n", "option 'threads': invalid value '1000000' (must be 1 to 64)"},
      // An energy community: each bad input refused with what to change.
      {dashboard + "community_member = a: meters=A; role=consumer; from=2026-01-01\n",
       "option 'community_member' needs 'community = zev', 'vzev' or 'leg'"},
      {dashboard + "community = zev\ncommunity_member = a: role=consumer; from=2026-01-01\n",
       "option 'community_member': invalid value 'a: role=consumer; from=2026-01-01' (member 'a' has no meters="},
      {dashboard + "community = zev\ncommunity_member = a: meters=A, A; role=consumer; from=2026-01-01\n" + pv_member,
       "member 'a' lists meter 'A' twice; list each meter once"},
      {dashboard + "community = zev\ncommunity_member = a: meters=A; role=consumer; from=2026-01-01; to=2026-03-31\n"
                   "community_member = b: meters=A; role=consumer; from=2026-03-01\n" + pv_member,
       "meter 'A' is in member 'a' (2026-01-01..2026-03-31) and member 'b' (2026-03-01..open): the memberships overlap by 31 day(s)"},
      {dashboard + "community = zev\ncommunity_member = a: meters=PV; role=consumer; from=2026-01-01\n" + pv_member,
       "meter 'PV' is in member 'a' (consumer) and member 'pv' (producer) at once; a meter that produces and consumes "
       "belongs to one member with role=prosumer"},
      {dashboard + "price = 0.25\ncommunity = vzev\ncommunity_solar_price = 0.21\n"
                   "community_member = a: meters=A; role=consumer; from=2026-01-01\n" + pv_member,
       "community_solar_price 0.21 per kWh is above the legal cap for tenants: 80 % of the grid's standard price (0.25 per "
       "kWh, its lowest without VAT) is 0.2 (EnV Art. 16 para. 1 let. b)"},
      {dashboard + "community = leg\ncommunity_leg_discount = 30\ncommunity_member = a: meters=A; role=consumer; from=2026-01-01\n" +
                   pv_member,
       "community_leg_discount must be 40 (members on the same network level) or 20 (StromVV Art. 19h), not 30"},
      {mqtt + "port = 0\n", "option 'port': invalid value '0' (must be 1 to 65535)"},
      {mqtt + "qos = 2\n", "option 'qos': invalid value '2' (must be 0 to 1)"},
      {mqtt + "retry_initial_ms = 5000\nretry_max_ms = 1000\n", "[sink.m] option 'retry_max_ms' must not be below 'retry_initial_ms'"},
  };
  for (const auto& [section, message] : cases) {
    auto dir = fresh_dir("proc-check-parity");
    write_file(dir / "t.conf", base + section);
    for (const char* mode : {"--check-config", "--config"}) {
      auto [status, out] = run_command(meterd_args({mode, "t.conf"}), dir);
      EXPECT_EQ(status, 2) << mode << " " << section << out;
      EXPECT_NE(out.find(message), std::string::npos) << mode << " " << section << out;
      EXPECT_EQ(out.find("terminate called"), std::string::npos) << out;
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
    EXPECT_FALSE(std::filesystem::exists(dir / "state"));
  }
}

// The community example (a building with a roof PV and six flats) passes the checks a start makes.
TEST(MeterdProcess, TheCommunityExampleConfigPassesTheCheck) {
  auto dir = fresh_dir("proc-community-example");
  auto [status, out] = run_command(meterd_args({"--check-config", std::string(METERD_SOURCE_DIR) + "/configs/community.conf"}), dir);
  EXPECT_EQ(status, 0) << out;
}

// Not a config file: a folder, an endless device, a FIFO nobody writes to. Each gets a clear
// word and status 2 at once instead of a hang or "no [source.NAME] section".
TEST(MeterdProcess, SpecialFilesAreRefusedAsConfigs) {
  auto dir = fresh_dir("proc-special-files");
  std::filesystem::create_directories(dir / "folder");
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  for (const std::string& path : {(dir / "folder").string(), std::string("/dev/zero"), (dir / "fifo").string()}) {
    auto [status, out] = run_command(meterd_args({"--check-config", path}), dir, std::chrono::seconds(10));
    EXPECT_EQ(status, 2) << path << out;
    EXPECT_NE(out.find("not a regular file"), std::string::npos) << path << out;
  }
  auto [missing, missing_out] = run_command(meterd_args({"--check-config", "nope.conf"}), dir);
  EXPECT_EQ(missing, 2) << missing_out;
  write_file(dir / "capture.bin", "7E");
  auto [tz, tz_out] = run_command({meterd_binary(), "decode", "--protocol", "dsmr", "--time-zone", "Europe", "capture.bin"}, dir);
  EXPECT_EQ(tz, 2) << tz_out;
  EXPECT_NE(tz_out.find("unknown time zone 'Europe'"), std::string::npos) << tz_out;
}

// A sink that cannot start ends meterd with a message naming the
// sink and the way out; with `optional = true` meterd runs without it and says so.
TEST(MeterdProcess, ASinkThatCannotStartEndsTheStartUnlessOptional) {
  auto dir = fresh_dir("proc-sink-start");
  write_file(dir / "t.conf", "[source.a]\nplugin = simulator\n[sink.f]\nplugin = file\ndirectory = out\n"
                             "[sink.t]\nplugin = throwing\nfail = start\n");
  auto [status, out] = run_command(meterd_args({"--config", "t.conf"}), dir);
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("cannot start: plugin 'throwing'"), std::string::npos) << out;
  EXPECT_NE(out.find("[sink.t]: refused to start"), std::string::npos) << out;
  EXPECT_NE(out.find("set `optional = true`"), std::string::npos) << out;

  // The dashboard with a state folder that cannot exist: the same, with the cause.
  write_file(dir / "d.conf", "[meterd]\nstate_dir = /dev/null/state\n[source.a]\nplugin = simulator\n"
                             "[sink.d]\nplugin = dashboard\nport = 0\n");
  auto [refused, refused_out] = run_command(meterd_args({"--config", "d.conf"}), dir);
  EXPECT_EQ(refused, 1) << refused_out;
  EXPECT_NE(refused_out.find("failed in [sink.d]"), std::string::npos) << refused_out;
  EXPECT_NE(refused_out.find("/dev/null/state"), std::string::npos) << refused_out;

  write_file(dir / "t.conf", "[meterd]\nstats_interval = 1\n[source.a]\nplugin = simulator\n"
                             "[sink.f]\nplugin = file\ndirectory = out\n"
                             "[sink.t]\nplugin = throwing\nfail = start\noptional = true\n");
  ProcessRunner p(meterd_args({"--config", "t.conf"}), dir);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(std::chrono::seconds(30)), 0) << p.output();
  EXPECT_NE(p.output().find("it is optional, so meterd runs without it"), std::string::npos) << p.output();
}

TEST(MeterdProcess, CheckConfigListPluginsAndHelpPlugin) {
  auto dir = fresh_dir("proc-cli");
  write_file(dir / "t.conf", "[source.a]\nplugin = simulator\n[sink.f]\nplugin = file\ndirectory = out\n");
  auto [ok, ok_out] = run_command(meterd_args({"--check-config", "t.conf"}), dir);
  EXPECT_EQ(ok, 0) << ok_out;
  EXPECT_NE(ok_out.find("OK (1 sources, 1 sinks)"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
  auto [list, list_out] = run_command(meterd_args({"--list-plugins"}), dir);
  EXPECT_EQ(list, 0);
  EXPECT_NE(list_out.find("sink    file"), std::string::npos) << list_out;
  EXPECT_NE(list_out.find("source  simulator"), std::string::npos);
  EXPECT_NE(list_out.find("failed  "), std::string::npos) << "broken test plugins are listed as failed";
  auto [help, help_out] = run_command(meterd_args({"--help-plugin", "file"}), dir);
  EXPECT_EQ(help, 0);
  EXPECT_NE(help_out.find("--rotate_bytes"), std::string::npos) << help_out;
  auto [none, none_out] = run_command(meterd_args({"--help-plugin", "nope"}), dir);
  EXPECT_EQ(none, 1);
  auto [usage, usage_out] = run_command(meterd_args({"--bogus"}), dir);
  EXPECT_EQ(usage, 2);
}

TEST(MeterdProcess, SigtermDrainsTheBusCountInEqualsCountOut) {
  auto dir = fresh_dir("proc-sigterm");
  write_file(dir / "t.conf",
             "[source.a]\nplugin = simulator\nspeed = 0\n[sink.c]\nplugin = counting\noutput = counts\n"
             "[sink.f]\nplugin = file\ndirectory = out\nformat = csv\n");
  ProcessRunner p(meterd_args({"--config", "t.conf"}), dir);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  p.signal(SIGTERM);
  ASSERT_EQ(p.wait(std::chrono::seconds(30)), 0) << p.output();
  const std::string counts = read_file(dir / "counts");
  const long total = count_of(counts, "total");
  EXPECT_GT(total, 100) << counts;
  EXPECT_EQ(total, count_of(counts, "max_sequence")) << counts;
  EXPECT_NE(p.output().find(", 0 dropped"), std::string::npos) << p.output();
}

TEST(MeterdProcess, PipelineSplitOverTwoProcessesOnTcp) {
  auto dir = fresh_dir("proc-tcp");
  // A port the kernel just gave out, not a fixed one that an outgoing connection may hold.
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(meterd::test::free_loopback_port());
  write_file(dir / "server.conf",
             "[meterd]\nstate_dir = server-state\n[bus]\nimport = " + endpoint + "\n"
             "[sink.c]\nplugin = counting\noutput = counts\n");
  write_file(dir / "pi.conf",
             "[meterd]\nstate_dir = pi-state\nexit_when_sources_done = true\n"
             "[bus]\nexport = " + endpoint + "\nexport_wait_ms = 20000\n"
             "[source.kitchen]\nplugin = simulator\nspeed = 0\ncount = 2000\n");
  ProcessRunner server(meterd_args({"--config", "server.conf"}), dir);
  ProcessRunner pi(meterd_args({"--config", "pi.conf"}), dir);
  ASSERT_EQ(pi.wait(std::chrono::seconds(60)), 0) << pi.output();
  EXPECT_NE(pi.output().find("an importer is connected to the export"), std::string::npos) << pi.output();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  server.signal(SIGINT);
  ASSERT_EQ(server.wait(std::chrono::seconds(30)), 0) << server.output();
  const std::string counts = read_file(dir / "counts");
  EXPECT_EQ(count_of(counts, "kitchen/SIM-house"), 2000) << counts;
  EXPECT_EQ(count_of(counts, "kitchen/SIM-heat_pump"), 2000) << counts;
  EXPECT_EQ(count_of(counts, "total"), 4000) << counts;
}
