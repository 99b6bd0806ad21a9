// The `meterd` binary run as a user runs it: real processes, real signals, real tcp.
#include <signal.h>

#include <gtest/gtest.h>

#include <thread>

#include "process_runner.hpp"

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
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("t.conf:9: [sink.g] option 'rotate_bytes': invalid value 'lots'"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir / "out")) << "no partial output";
  EXPECT_FALSE(std::filesystem::exists(dir / "state"));
}

TEST(MeterdProcess, ConstructorRejectionOfAValueWritesNothing) {
  auto dir = fresh_dir("proc-bad-value");
  write_file(dir / "t.conf", "[source.a]\nplugin = simulator\n[sink.f]\nplugin = file\ndirectory = out\nformat = xml\n");
  auto [status, out] = run_command(meterd_args({"--config", "t.conf"}), dir);
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("[sink.f]: unknown format 'xml' (use jsonl or csv)"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
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
  write_file(dir / "server.conf",
             "[meterd]\nstate_dir = server-state\n[bus]\nimport = tcp://127.0.0.1:47931\n"
             "[sink.c]\nplugin = counting\noutput = counts\n");
  write_file(dir / "pi.conf",
             "[meterd]\nstate_dir = pi-state\nexit_when_sources_done = true\n"
             "[bus]\nexport = tcp://127.0.0.1:47931\nexport_wait_ms = 20000\n"
             "[source.kitchen]\nplugin = simulator\nspeed = 0\ncount = 2000\n");
  ProcessRunner server(meterd_args({"--config", "server.conf"}), dir);
  ProcessRunner pi(meterd_args({"--config", "pi.conf"}), dir);
  ASSERT_EQ(pi.wait(std::chrono::seconds(60)), 0) << pi.output();
  EXPECT_NE(pi.output().find("a remote subscriber is connected"), std::string::npos) << pi.output();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  server.signal(SIGINT);
  ASSERT_EQ(server.wait(std::chrono::seconds(30)), 0) << server.output();
  const std::string counts = read_file(dir / "counts");
  EXPECT_EQ(count_of(counts, "kitchen/SIM-house"), 2000) << counts;
  EXPECT_EQ(count_of(counts, "kitchen/SIM-heat_pump"), 2000) << counts;
  EXPECT_EQ(count_of(counts, "total"), 4000) << counts;
}
