// The CSV watcher run in-process on a real directory: lines appended, half-written, a
// truncation, a rotation, a file that appears later, and a restart - every line exactly once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "csv_watcher_source.hpp"
#include "fake_source_context.hpp"

namespace meterd::csv_plugins {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class CsvWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("meterd_csv_watcher_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "log");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<testing::FakeSourceContext> context() {
    return std::make_unique<testing::FakeSourceContext>(
        &describe_csv_watcher_options,
        std::vector<std::pair<std::string, std::string>>{{"path", (dir_ / "log" / "cii*.csv").string()},
                                                         {"meter_id", "e450"}},
        dir_ / "state");
  }

  // CII tool line number `i`: one second apart, power = i watts, so each line is recognisable.
  static std::string line(int i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "28.08.2020 19:%02d:%02d;0;230;912;%d\n", i / 60 % 60, i % 60, i);
    return buf;
  }

  void append(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::app | std::ios::binary);
    out << text;
  }

  // Waits until `count` readings arrived (or a generous limit passed).
  static void wait_for(testing::FakeSourceContext& c, std::size_t count) {
    for (int i = 0; i < 300 && c.take_readings().size() < count; ++i) std::this_thread::sleep_for(10ms);
  }

  static std::multiset<int> powers(testing::FakeSourceContext& c) {
    std::multiset<int> out;
    for (const auto& r : c.take_readings()) out.insert(static_cast<int>(r.values(2).number()));
    return out;
  }

  fs::path dir_;
};

TEST_F(CsvWatcherTest, AppendTruncateRotateAndLateFileEachLineOnce) {
  const fs::path log = dir_ / "log" / "cii.csv";
  auto c = context();
  CsvWatcherSource source(*c);
  std::jthread runner([&](std::stop_token stop) { source.run(stop); });
  std::this_thread::sleep_for(50ms);

  // The file does not exist yet when the watcher starts.
  append(log, line(0) + line(1));
  wait_for(*c, 2);
  EXPECT_EQ(c->take_readings().size(), 2u);

  // Half a line is held back until its newline arrives, and read within 100 ms after it.
  const std::string third = line(2);
  append(log, third.substr(0, 10));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(c->take_readings().size(), 2u);
  const auto before = std::chrono::steady_clock::now();
  append(log, third.substr(10));
  wait_for(*c, 3);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 100ms);
  ASSERT_EQ(c->take_readings().size(), 3u);

  // A bad line is reported with file and line number; reading goes on.
  append(log, "garbage line\n" + line(3));
  wait_for(*c, 4);

  // Truncation: the writer starts the file again.
  { std::ofstream truncate(log, std::ios::trunc); }
  std::this_thread::sleep_for(50ms);
  append(log, line(4) + line(5));
  wait_for(*c, 6);

  // Rotation: rename away, the writer finishes a line in the old file, then a new file starts.
  fs::rename(log, dir_ / "log" / "cii.csv.1");
  append(dir_ / "log" / "cii.csv.1", line(6));
  append(log, line(7));
  wait_for(*c, 8);

  // A second file matching the pattern.
  append(dir_ / "log" / "cii-kitchen.csv", line(8));
  wait_for(*c, 9);
  runner.request_stop();
  runner.join();

  EXPECT_EQ(powers(*c), (std::multiset<int>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
  const auto readings = c->take_readings();
  EXPECT_EQ(readings[0].meter_id(), "e450");
  EXPECT_EQ(readings[0].meter_time_ms(), 1598634000000);  // 19:00:00 Zurich summer time
  EXPECT_EQ(readings[0].meter_utc_offset_s(), 7200);
  EXPECT_NEAR(readings[0].values(1).number(), 0.912, 1e-12);
  EXPECT_FALSE(readings[0].id().empty());
  bool reported = false, truncated = false;
  for (const auto& d : c->take_diagnostics()) {
    reported = reported || d.find("cii.csv:4: ") != std::string::npos;
    truncated = truncated || d.rfind("file_truncated", 0) == 0;
  }
  EXPECT_TRUE(reported) << "bad line not reported with file:line";
  EXPECT_TRUE(truncated);
}

TEST_F(CsvWatcherTest, RestartNeitherRepeatsNorSkips) {
  const fs::path log = dir_ / "log" / "cii.csv";
  append(log, line(0) + line(1) + line(2));
  {
    auto c = context();
    CsvWatcherSource source(*c);
    std::jthread runner([&](std::stop_token stop) { source.run(stop); });
    wait_for(*c, 3);
    append(log, line(3) + line(4).substr(0, 7));  // the last line is unfinished when we stop
    wait_for(*c, 4);
    runner.request_stop();
    runner.join();
    EXPECT_EQ(powers(*c), (std::multiset<int>{0, 1, 2, 3}));
  }
  // While stopped: the unfinished line is completed and more lines arrive.
  append(log, line(4).substr(7) + line(5));
  {
    auto c = context();
    CsvWatcherSource source(*c);
    std::jthread runner([&](std::stop_token stop) { source.run(stop); });
    wait_for(*c, 2);
    std::this_thread::sleep_for(100ms);
    runner.request_stop();
    runner.join();
    EXPECT_EQ(powers(*c), (std::multiset<int>{4, 5}));
  }
  // Rotated while stopped: the rest of the old file is read, then the new one from its start.
  append(log, line(6));
  fs::rename(log, dir_ / "log" / "old.1");
  append(log, line(7));
  {
    auto c = context();
    CsvWatcherSource source(*c);
    std::jthread runner([&](std::stop_token stop) { source.run(stop); });
    wait_for(*c, 2);
    std::this_thread::sleep_for(100ms);
    runner.request_stop();
    runner.join();
    EXPECT_EQ(powers(*c), (std::multiset<int>{6, 7}));
  }
}

TEST_F(CsvWatcherTest, BadOptionsAreClearErrors) {
  auto make = [&](std::vector<std::pair<std::string, std::string>> options) {
    testing::FakeSourceContext c(&describe_csv_watcher_options, options, dir_ / "state");
    CsvWatcherSource source(c);
  };
  EXPECT_THROW(make({{"meter_id", "x"}}), std::invalid_argument);
  EXPECT_THROW(make({{"path", "/tmp/x.csv"}, {"time_zone", "Mars/Olympus"}}), std::invalid_argument);
  EXPECT_THROW(make({{"path", "/tmp/x.csv"}, {"format", "generic"}}), std::invalid_argument);
  EXPECT_THROW(make({{"path", "/tmp/*/x.csv"}}), std::invalid_argument);
}

}  // namespace
}  // namespace meterd::csv_plugins
