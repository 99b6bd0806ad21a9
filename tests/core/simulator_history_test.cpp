// The simulator's history backfill through the real binary: a day of past pushes before the
// live ones, registers that never step back, and a restart that continues them from where
// the last run stopped and fills only the time since.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

#include "process_runner.hpp"

using namespace meterd::test;

namespace {

std::vector<std::string> meterd_args(std::vector<std::string> args) {
  std::vector<std::string> argv{meterd_binary(), "--plugin-dir", std::string(METERD_BUILD_DIR) + "/plugins"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

const char* kConfig =
    "[meterd]\nstate_dir = state\nexit_when_sources_done = true\n[bus]\nblock_ms = 60000\n"
    "[source.sim]\nplugin = simulator\nmeters = house=H1\nhistory_days = 1\nspeed = 0\ncount = 2\n"
    "[sink.f]\nplugin = file\ndirectory = out\nformat = jsonl\n";

// The import register of each line written by the file sink, in order.
std::vector<double> registers(const std::string& jsonl) {
  const std::string key = R"("quantity":"active_energy_import","value":)";
  std::vector<double> out;
  std::istringstream lines(jsonl);
  for (std::string line; std::getline(lines, line);)
    if (const auto at = line.find(key); at != std::string::npos) out.push_back(std::stod(line.substr(at + key.size())));
  return out;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST(SimulatorHistory, BackfillsADayThenGoesLiveAndResumesItsRegisters) {
  const auto dir = fresh_dir("sim-history");
  write_file(dir / "t.conf", kConfig);
  auto [status, out] = run_command(meterd_args({"--config", "t.conf"}), dir);
  ASSERT_EQ(status, 0) << out;
  EXPECT_TRUE(out.find("simulated history: 1439 pushes") != std::string::npos ||
              out.find("simulated history: 1440 pushes") != std::string::npos)
      << out;
  // A day at one a minute (the last one depends on where "now" falls), then two live pushes.
  const auto first = registers(read_file(dir / "out" / "f.jsonl"));
  ASSERT_GE(first.size(), 1441u);
  ASSERT_LE(first.size(), 1442u);
  for (std::size_t i = 1; i < first.size(); ++i) ASSERT_GE(first[i], first[i - 1]) << "register stepped back at line " << i;
  EXPECT_GT(first.back(), first.front() + 1000) << "a day of a house uses more than 1 kWh";

  // Stopped an hour ago with the register at 50 kWh: the restart fills that hour and counts on.
  write_file(dir / "state" / "source.sim" / "simulator-progress",
             "until_ms " + std::to_string(now_ms() - 3'600'000) + "\nH1 50000\n");
  std::filesystem::remove_all(dir / "out");
  auto [again, again_out] = run_command(meterd_args({"--config", "t.conf"}), dir);
  ASSERT_EQ(again, 0) << again_out;
  const auto second = registers(read_file(dir / "out" / "f.jsonl"));
  ASSERT_GE(second.size(), 61u);
  ASSERT_LE(second.size(), 62u);
  EXPECT_GE(second.front(), 50000);
  EXPECT_LT(second.front(), 50100);
  for (std::size_t i = 1; i < second.size(); ++i) ASSERT_GE(second[i], second[i - 1]);

  // A progress file for other meters is ignored: a fresh day from a zero register.
  write_file(dir / "state" / "source.sim" / "simulator-progress", "until_ms 1\nOTHER 7\n");
  std::filesystem::remove_all(dir / "out");
  auto [fresh, fresh_out] = run_command(meterd_args({"--config", "t.conf"}), dir);
  ASSERT_EQ(fresh, 0) << fresh_out;
  EXPECT_GE(registers(read_file(dir / "out" / "f.jsonl")).size(), 1441u);
  // The first minute of a fresh day, counted from zero: at an evening peak a house draws up to
  // about 10 kW, so far below a kWh, never the other meter's or an earlier register.
  EXPECT_LT(registers(read_file(dir / "out" / "f.jsonl")).front(), 200);
  std::filesystem::remove_all(dir);
}
