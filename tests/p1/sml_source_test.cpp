// The sml source end to end in-process: the shared SML vectors written to a real
// pseudo-terminal, an optical head unplugged and plugged back in, TCP, and the DZG option.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "loopback_listener.hpp"
#include "pty_pair.hpp"
#include "reading_values.hpp"
#include "recording_context.hpp"
#include "running_source.hpp"
#include "sml_settings.hpp"
#include "sml_source.hpp"
#include "temp_dir.hpp"
#include "vector_reading_check.hpp"

using namespace meterd::test_support;
using namespace std::chrono_literals;
using meterd::p1_test::decodable_vectors;
using meterd::p1_test::expect_reading_matches;
using meterd::sml_source::SmlSource;
namespace diag = meterd::meter_source::diag;

namespace {

std::multimap<std::string, std::string> fast_retry(std::multimap<std::string, std::string> o) {
  o.insert({"reconnect_initial", "0.05"});
  o.insert({"reconnect_max", "0.2"});
  return o;
}

}  // namespace

TEST(SmlSerial, EveryVectorArrivesIntactAndReadingGoesOnAfterTheHeadIsReplugged) {
  const auto vectors = decodable_vectors("sml");
  if (vectors.empty()) GTEST_SKIP() << "no SML-*.json vectors in " << meterd::testing::vectors_dir();
  TempDir dir;
  const auto link = dir.path() / "ir-head";
  auto pty = std::make_unique<PtyPair>(link);
  RecordingContext ctx(meterd::sml_source::describe_options, fast_retry({{"device", link.string()}}), "head");
  RunningSource source(std::make_unique<SmlSource>(ctx));
  ASSERT_TRUE(ctx.wait_for_log("reading serial", 1, 5s));
  std::size_t expected = 0;
  for (const auto& v : vectors) {
    pty->write(v.data);
    ASSERT_TRUE(ctx.wait_for_readings(++expected, 5s)) << v.id << "\n" << ctx.dump_diagnostics();
  }
  // Unplugged: the source notices and keeps trying the now dangling device name.
  pty->unplug();
  pty.reset();
  ASSERT_TRUE(ctx.wait_for_code(diag::disconnected, 1, 5s)) << ctx.dump_diagnostics();
  ASSERT_TRUE(ctx.wait_for_code(diag::open_failed, 1, 5s)) << ctx.dump_diagnostics();
  // Plugged back in (a new terminal behind the same by-id name).
  pty = std::make_unique<PtyPair>(link);
  ASSERT_TRUE(ctx.wait_for_log("reading serial", 2, 5s)) << ctx.dump_diagnostics();
  pty->write(vectors.back().data);
  ASSERT_TRUE(ctx.wait_for_readings(expected + 1, 5s)) << ctx.dump_diagnostics();
  source.stop();
  const auto readings = ctx.readings();
  for (std::size_t i = 0; i < vectors.size(); ++i) expect_reading_matches(readings[i], vectors[i], "head");
  expect_reading_matches(readings.back(), vectors.back(), "head");
  EXPECT_EQ(ctx.counters().in.load(), readings.size());
}

TEST(SmlTcp, ReadsFromASerialBridge) {
  const auto vectors = decodable_vectors("sml");
  if (vectors.empty()) GTEST_SKIP() << "no SML-*.json vectors in " << meterd::testing::vectors_dir();
  LoopbackListener bridge;
  RecordingContext ctx(meterd::sml_source::describe_options,
                       fast_retry({{"transport", "tcp"}, {"address", bridge.address()}}), "head");
  RunningSource source(std::make_unique<SmlSource>(ctx));
  ASSERT_TRUE(bridge.accept(5s));
  // Split mid-frame: the bridge forwards whatever pieces the line delivers.
  const auto& data = vectors.front().data;
  const auto half = static_cast<std::ptrdiff_t>(data.size() / 2);
  bridge.send({data.begin(), data.begin() + half});
  std::this_thread::sleep_for(50ms);
  bridge.send({data.begin() + half, data.end()});
  ASSERT_TRUE(ctx.wait_for_readings(1, 5s)) << ctx.dump_diagnostics();
  source.stop();
  expect_reading_matches(ctx.readings().front(), vectors.front(), "head");
}

TEST(SmlSettings, DefaultsTo9600_8N1AndTheDzgFixIsOptIn) {
  RecordingContext defaults(meterd::sml_source::describe_options, {});
  const auto s = meterd::sml_source::parse_settings(defaults.options(), "Europe/Berlin");
  ASSERT_EQ(s.presets.size(), 1u);
  EXPECT_EQ(s.presets[0].name(), "9600 8N1");
  EXPECT_FALSE(s.decoder.reinterpret_negative_power_as_unsigned);
  EXPECT_EQ(s.decoder.time_zone, "Europe/Berlin");

  const auto vectors = decodable_vectors("sml");
  const auto dzg = std::find_if(vectors.begin(), vectors.end(), [](const auto& v) { return v.id == "SML-DZG7412-JMBERG"; });
  if (dzg == vectors.end()) GTEST_SKIP() << "SML-DZG7412-JMBERG not available";
  TempDir dir;
  const auto capture = dir.path() / "dzg.raw";
  std::ofstream(capture, std::ios::binary).write(reinterpret_cast<const char*>(dzg->data.data()),
                                                 static_cast<std::streamsize>(dzg->data.size()));
  RecordingContext ctx(meterd::sml_source::describe_options,
                       {{"transport", "replay"}, {"file", capture.string()}, {"dzg_unsigned_power", "true"}});
  RunningSource source(std::make_unique<SmlSource>(ctx));
  ASSERT_TRUE(source.wait_finished(5s));
  ASSERT_EQ(ctx.reading_count(), 1u) << ctx.dump_diagnostics();
  // 356.24 W sent as Integer16 0x8B28: without the option it would read -299.12 W.
  EXPECT_NEAR(value_of(ctx.readings().front(), "1-0:16.7.0"), 356.24, 1e-9);
}
