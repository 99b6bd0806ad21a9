// The history importer run in-process: readings with stable ids, the one-shot contract, and
// the errors for files it cannot import.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "ekz_history_source.hpp"
#include "fake_source_context.hpp"

namespace meterd::csv_plugins {
namespace {

namespace fs = std::filesystem;

class EkzHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("meterd_ekz_history_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }
  std::unique_ptr<testing::FakeSourceContext> run(std::vector<std::pair<std::string, std::string>> options,
                                                  std::string* error = nullptr) {
    options.emplace_back("progress", "never");
    auto c = std::make_unique<testing::FakeSourceContext>(&describe_ekz_history_options, options, dir_ / "state");
    EkzHistorySource source(*c);
    try {
      source.run(std::stop_token{});
    } catch (const std::runtime_error& e) {
      if (!error) throw;
      *error = e.what();
    }
    return c;
  }
  fs::path dir_;
};

const char* kEkz = "sep=;\r\nZeitraum;HT [kWh];NT [kWh]\r\n31.10.2021 01:45;;0.1\r\n31.10.2021 02:00;;0.2\r\n"
                   "31.10.2021 02:15;;0.3\r\n31.10.2021 02:00;;0.4\r\n31.10.2021 02:15;;0.5\r\n"
                   "31.10.2021 02:30;;0.6\r\n31.10.2021 07:00;1.5;\r\n";

TEST_F(EkzHistoryTest, IntervalReadingsWithStableIdsAndReimportGivesTheSameIds) {
  const auto file = write("ekz.csv", kEkz);
  const auto first = run({{"files", file.string()}, {"meter_id", "CH1009"}});
  const auto readings = first->take_readings();
  ASSERT_EQ(readings.size(), 7u);
  const auto& v = readings[3].values(0);
  EXPECT_EQ(readings[3].meter_id(), "CH1009");
  EXPECT_EQ(v.quantity(), "active_energy_import");
  EXPECT_EQ(v.unit(), "kWh");
  EXPECT_EQ(v.tariff(), "NT");
  EXPECT_DOUBLE_EQ(v.number(), 0.4);
  EXPECT_EQ(v.interval_start_ms(), 1635642000000);  // 2021-10-31T01:00Z: second 02:00, winter time
  EXPECT_EQ(v.interval_end_ms() - v.interval_start_ms(), 900000);
  EXPECT_EQ(readings[6].values(0).tariff(), "HT");
  std::set<std::string> ids;
  for (const auto& r : readings) ids.insert(r.id());
  EXPECT_EQ(ids.size(), readings.size());
  const auto again = run({{"files", file.string()}, {"meter_id", "CH1009"}});
  const auto second = again->take_readings();
  ASSERT_EQ(second.size(), readings.size());
  for (std::size_t i = 0; i < second.size(); ++i) EXPECT_EQ(second[i].id(), readings[i].id());
  bool summary = false;
  for (const auto& d : first->take_diagnostics()) summary = summary || d.find("7 rows imported, 0 skipped") != std::string::npos;
  EXPECT_TRUE(summary);
}

TEST_F(EkzHistoryTest, PowerSeriesGivesPowerReadings) {
  const auto file = write("p.csv", "2019-02-01T00:00:00Z,100\n2019-02-01T00:00:01Z,110\n2019-02-01T00:00:02Z,x\n");
  std::string error;
  const auto c = run({{"files", file.string()}}, &error);
  const auto readings = c->take_readings();
  ASSERT_EQ(readings.size(), 2u);
  EXPECT_EQ(readings[1].meter_time_ms(), 1548979201000);
  EXPECT_EQ(readings[1].values(0).quantity(), "active_power_import");
  EXPECT_EQ(readings[1].values(0).unit(), "W");
  EXPECT_TRUE(error.empty()) << error;  // a skipped row is reported, not a failed file
  bool skipped = false;
  for (const auto& d : c->take_diagnostics()) skipped = skipped || d.find("p.csv:3: column 2: 'x'") != std::string::npos;
  EXPECT_TRUE(skipped);
}

TEST_F(EkzHistoryTest, UnknownAndMissingFilesFailAfterTheOthersWithReasons) {
  const auto good = write("ekz.csv", kEkz);
  const auto unknown = write("odd.csv", "a|b|c\n1|2|3\n");
  std::string error;
  const auto c = run({{"files", unknown.string()}, {"files", (dir_ / "missing.csv").string()}, {"files", good.string()}},
                     &error);
  EXPECT_EQ(c->take_readings().size(), 7u);  // the good file is imported all the same
  EXPECT_NE(error.find("2 of 3 file(s) not fully imported"), std::string::npos) << error;
  EXPECT_NE(error.find("odd.csv: no known format fits; ekz_export:"), std::string::npos) << error;
  EXPECT_NE(error.find("(nothing imported)"), std::string::npos) << error;
  EXPECT_NE(error.find("missing.csv: cannot open"), std::string::npos) << error;
}

TEST_F(EkzHistoryTest, BadOptionsAreRefusedBeforeAnyFile) {
  auto make = [&](std::vector<std::pair<std::string, std::string>> options) {
    testing::FakeSourceContext c(&describe_ekz_history_options, options, dir_ / "state");
    EkzHistorySource source(c);
  };
  EXPECT_THROW(make({{"format", "excel"}}), std::invalid_argument);
  EXPECT_THROW(make({{"format", "generic"}}), std::invalid_argument);  // no columns
  EXPECT_THROW(make({{"column", "2 x kWh"}, {"time_zone", "Nowhere/Atlantis"}}), std::invalid_argument);
}

}  // namespace
}  // namespace meterd::csv_plugins
