// `meterd import --config FILE PATH...` end to end: real files, the real binary, the file sink.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "meterd/time_zone.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kHeatPump = std::string(METERD_SHARED_DIR) + "/data/ch-heatpump-15min-2021-2023.csv";

fs::path fresh(const std::string& name) {
  auto d = fs::path(METERD_BUILD_DIR) / "test-work" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int run_import(const fs::path& dir, const std::string& paths) {
  const std::string cmd = "cd '" + dir.string() + "' && '" METERD_BUILD_DIR "/meterd' import --config import.conf " +
                          paths + " > import.log 2>&1";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

void write_config(const fs::path& dir) {
  std::ofstream(dir / "import.conf") << "[meterd]\nstate_dir = state\nlog_level = warning\n"
                                        "[source.heatpump]\nplugin = ekz_history\nmeter_id = heatpump\n"
                                        "format = generic\nseparator = ,\nheader_rows = 1\ntimestamp_column = 1\n"
                                        "timestamp_format = yyyy-MM-dd HH:mm:ss\ntime_zone = Europe/Zurich\n"
                                        "interval = 15min\ntimestamp_is = start\n"
                                        "column = 2 active_energy_import kWh\nprogress = never\n"
                                        "[sink.out]\nplugin = file\ndirectory = out\n";
}

// Intervals per local day, keyed "YYYY-MM-DD", and every reading id seen.
void tally(const fs::path& jsonl, std::map<std::string, int>& per_day, std::multiset<std::string>& ids) {
  auto zone = meterd::TimeZone::load("Europe/Zurich");
  std::ifstream in(jsonl);
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line);
    ids.insert(j.at("id").get<std::string>());
    for (const auto& v : j.at("values")) {
      const std::string start = v.at("interval_start").get<std::string>();
      meterd::CivilTime c;
      std::sscanf(start.c_str(), "%d-%d-%dT%d:%d:%d", &c.year, &c.month, &c.day, &c.hour, &c.minute, &c.second);
      const auto local = meterd::seconds_to_civil(zone->utc_to_local(meterd::civil_to_seconds(c)));
      char day[16];
      std::snprintf(day, sizeof day, "%04d-%02d-%02d", local.year, local.month, local.day);
      ++per_day[day];
    }
  }
}

}  // namespace

TEST(ImportCommand, HeatPumpHistoryKeepsEveryIntervalAcrossDst) {
  if (!fs::exists(kHeatPump)) GTEST_SKIP() << "shared data folder absent: " << kHeatPump;
  const auto dir = fresh("import-heatpump");
  write_config(dir);
  ASSERT_EQ(run_import(dir, "'" + kHeatPump + "'"), 0) << slurp(dir / "import.log");
  std::map<std::string, int> per_day;
  std::multiset<std::string> ids;
  tally(dir / "out" / "out.jsonl", per_day, ids);
  EXPECT_EQ(per_day["2021-03-28"], 92) << "the spring day has 23 hours";
  EXPECT_EQ(per_day["2021-10-31"], 100) << "the autumn day has 25 hours";
  EXPECT_EQ(per_day["2021-03-27"], 96);
  EXPECT_EQ(per_day["2022-10-30"], 100);
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), ids.size()) << "no interval imported twice";
}

TEST(ImportCommand, ImportingTheSameFileTwiceGivesTheSameIds) {
  const auto dir = fresh("import-twice");
  write_config(dir);
  std::ofstream(dir / "small.csv") << "Timestamp,Energy_kWh,daily_avgTmp\n2021-10-31 01:45:00,0.1,5\n"
                                      "2021-10-31 02:00:00,0.2,5\n2021-10-31 02:00:00,0.3,5\n2021-10-31 03:00:00,0.4,5\n";
  ASSERT_EQ(run_import(dir, "small.csv"), 0) << slurp(dir / "import.log");
  const std::string first = slurp(dir / "out" / "out.jsonl");
  fs::remove_all(dir / "out");
  ASSERT_EQ(run_import(dir, "small.csv"), 0) << slurp(dir / "import.log");
  std::map<std::string, int> d1, d2;
  std::multiset<std::string> ids1, ids2;
  std::ofstream(dir / "first.jsonl") << first;
  tally(dir / "first.jsonl", d1, ids1);
  tally(dir / "out" / "out.jsonl", d2, ids2);
  EXPECT_EQ(ids1.size(), 4u) << "the repeated 02:00 is the second, winter-time instant, not a duplicate";
  EXPECT_EQ(ids1, ids2);
}

TEST(ImportCommand, UnknownFileNamesTheFormatsTriedAndFails) {
  const auto dir = fresh("import-unknown");
  std::ofstream(dir / "import.conf") << "[meterd]\nstate_dir = state\n[source.h]\nplugin = ekz_history\nprogress = never\n"
                                        "[sink.out]\nplugin = file\ndirectory = out\n";
  std::ofstream(dir / "mystery.txt") << "hello\nworld\n";
  EXPECT_NE(run_import(dir, "mystery.txt"), 0);
  const std::string log = slurp(dir / "import.log");
  EXPECT_NE(log.find("ekz_export"), std::string::npos) << log;
  EXPECT_NE(log.find("ckw_open_data"), std::string::npos) << log;
}

TEST(ImportCommand, UsageErrorsExitTwo) {
  const auto dir = fresh("import-usage");
  write_config(dir);
  const std::string cmd = "'" METERD_BUILD_DIR "/meterd' import --config '" + (dir / "import.conf").string() + "' > /dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 2) << "no PATH given";
}
