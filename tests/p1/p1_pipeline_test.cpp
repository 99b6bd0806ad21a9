// The whole chain as a user runs it: `meterd --config` with a dsmr_p1 and an sml instance
// replaying captures of real meters, into the file sink. What lands in the JSON lines must be
// what the vectors say the meters sent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <thread>

#include "meterd_process.hpp"
#include "temp_dir.hpp"
#include "vector_reading_check.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using meterd::test_support::MeterdProcess;
using meterd::test_support::read_json_lines;
using meterd::test_support::TempDir;

namespace {

void write_capture(const fs::path& file, const std::vector<std::uint8_t>& bytes, int times) {
  std::ofstream out(file, std::ios::binary);
  for (int i = 0; i < times; ++i) out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// Every expected value of the vector is in the JSON reading.
void expect_json_matches(const nlohmann::json& r, const meterd::testing::ProtocolVector& v) {
  SCOPED_TRACE(v.id + " " + r.dump());
  for (const auto& want : v.values) {
    bool found = false;
    for (const auto& got : r.at("values")) {
      if (got.at("obis") != want.obis) continue;
      if (const double* n = std::get_if<double>(&want.value))
        found = found || (got.at("value").is_number() && std::fabs(got.at("value").get<double>() - *n) <=
                                                             1e-9 * std::max(1.0, std::fabs(*n)));
      else
        found = found || (got.at("value").is_string() && got.at("value") == std::get<std::string>(want.value));
    }
    EXPECT_TRUE(found) << want.obis;
  }
}

}  // namespace

TEST(P1Pipeline, ReplayedP1AndSmlCapturesReachTheFileSinkWithTheirValues) {
  const auto p1 = meterd::p1_test::decodable_vectors("dsmr");
  const auto sml = meterd::p1_test::decodable_vectors("sml");
  if (p1.empty() || sml.empty()) GTEST_SKIP() << "no DP-/SML- vectors in " << meterd::testing::vectors_dir();
  // A plain (unencrypted) P1 telegram, three times; one SML push, twice.
  const auto plain = std::find_if(p1.begin(), p1.end(), [](const auto& v) { return v.encryption_key.empty(); });
  ASSERT_NE(plain, p1.end());
  TempDir dir;
  write_capture(dir.path() / "p1.raw", plain->data, 3);
  write_capture(dir.path() / "sml.raw", sml.front().data, 2);
  const fs::path config = dir.path() / "pipeline.conf";
  std::ofstream(config) << "[meterd]\n"
                        << "state_dir = " << (dir.path() / "state").string() << "\n"
                        << "time_zone = Europe/Amsterdam\n"
                        << "[source.p1]\nplugin = dsmr_p1\ntransport = replay\nfile = " << (dir.path() / "p1.raw").string()
                        << "\n"
                        << "[source.head]\nplugin = sml\ntransport = replay\nfile = " << (dir.path() / "sml.raw").string()
                        << "\n"
                        << "[sink.out]\nplugin = file\ndirectory = " << (dir.path() / "out").string() << "\n"
                        << "fsync = always\n";
  MeterdProcess meterd(config);
  const fs::path output = dir.path() / "out" / "out.jsonl";
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline && read_json_lines(output).size() < 5)
    std::this_thread::sleep_for(100ms);
  std::this_thread::sleep_for(300ms);  // anything beyond five would be a duplicate
  EXPECT_TRUE(meterd.terminate()) << "meterd did not exit cleanly on SIGTERM";

  const auto lines = read_json_lines(output);
  ASSERT_EQ(lines.size(), 5u);
  int from_p1 = 0, from_head = 0;
  for (const auto& r : lines) {
    if (r.at("source") == "p1") {
      ++from_p1;
      EXPECT_EQ(r.at("meter_id"), plain->meter_id.empty() ? "p1" : plain->meter_id);
      expect_json_matches(r, *plain);
    } else {
      ASSERT_EQ(r.at("source"), "head");
      ++from_head;
      EXPECT_EQ(r.at("meter_id"), sml.front().meter_id);
      expect_json_matches(r, sml.front());
    }
  }
  EXPECT_EQ(from_p1, 3);
  EXPECT_EQ(from_head, 2);
}
