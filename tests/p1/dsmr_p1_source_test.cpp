// The dsmr_p1 source end to end in-process: the shared P1 vectors written to a real
// pseudo-terminal and through a TCP socket that drops and comes back, and its options.
#include <gtest/gtest.h>

#include <thread>

#include "dsmr_p1_settings.hpp"
#include "dsmr_p1_source.hpp"
#include "loopback_listener.hpp"
#include "pty_pair.hpp"
#include "recording_context.hpp"
#include "running_source.hpp"
#include "temp_dir.hpp"
#include "vector_reading_check.hpp"

using namespace meterd::test_support;
using namespace std::chrono_literals;
using meterd::dsmr_p1::DsmrP1Source;
using meterd::p1_test::decodable_vectors;
using meterd::p1_test::expect_reading_matches;
namespace diag = meterd::meter_source::diag;

namespace {

std::multimap<std::string, std::string> options_for(const meterd::testing::ProtocolVector& v,
                                                    std::multimap<std::string, std::string> o) {
  if (!v.encryption_key.empty()) o.insert({"key", v.encryption_key});
  if (!v.authentication_key.empty()) o.insert({"auth_key", v.authentication_key});
  o.insert({"reconnect_initial", "0.05"});
  o.insert({"reconnect_max", "0.2"});
  return o;
}

}  // namespace

TEST(DsmrP1Serial, EveryVectorTelegramArrivesIntactOverAPseudoTerminal) {
  const auto vectors = decodable_vectors("dsmr");
  if (vectors.empty()) GTEST_SKIP() << "no DP-*.json vectors in " << meterd::testing::vectors_dir();
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.id);
    TempDir dir;
    const auto link = dir.path() / "p1.tty";
    PtyPair pty(link);
    RecordingContext ctx(meterd::dsmr_p1::describe_options, options_for(v, {{"device", link.string()}}), "p1");
    RunningSource source(std::make_unique<DsmrP1Source>(ctx));
    // Opening the port discards what was waiting, so the meter "speaks" only once it is open.
    ASSERT_TRUE(ctx.wait_for_log("reading serial", 1, 5s));
    pty.write(v.data);
    ASSERT_TRUE(ctx.wait_for_readings(1, 5s)) << ctx.dump_diagnostics();
    source.stop();
    expect_reading_matches(ctx.readings().front(), v, "p1");
    EXPECT_EQ(ctx.count_code(diag::wrong_plugin), 0u) << ctx.dump_diagnostics();
  }
}

TEST(DsmrP1Tcp, ReconnectsWhenTheBridgeDropsAndReadsOnAfterwards) {
  const auto vectors = decodable_vectors("dsmr");
  if (vectors.empty()) GTEST_SKIP() << "no DP-*.json vectors in " << meterd::testing::vectors_dir();
  const auto& v = vectors.front();
  LoopbackListener bridge(false);
  RecordingContext ctx(meterd::dsmr_p1::describe_options,
                       options_for(v, {{"transport", "tcp"}, {"address", bridge.address()}}), "p1");
  RunningSource source(std::make_unique<DsmrP1Source>(ctx));
  // Nobody listening yet: refused and retried, not given up.
  ASSERT_TRUE(ctx.wait_for_code(diag::open_failed, 2, 5s));
  bridge.listen();
  ASSERT_TRUE(bridge.accept(5s));
  bridge.send(v.data);
  bridge.send(v.data);
  ASSERT_TRUE(ctx.wait_for_readings(2, 5s)) << ctx.dump_diagnostics();
  bridge.drop();
  ASSERT_TRUE(ctx.wait_for_code(diag::disconnected, 1, 5s)) << ctx.dump_diagnostics();
  ASSERT_TRUE(bridge.accept(5s)) << "the source did not reconnect";
  bridge.send(v.data);
  ASSERT_TRUE(ctx.wait_for_readings(3, 5s)) << ctx.dump_diagnostics();
  source.stop();
  for (const auto& r : ctx.readings()) expect_reading_matches(r, v, "p1");
}

TEST(DsmrP1Settings, DefaultsTo115200_8N1AndAutoAlsoTriesTheOtherMeters) {
  RecordingContext defaults(meterd::dsmr_p1::describe_options, {});
  const auto s = meterd::dsmr_p1::parse_settings(defaults.options(), "Europe/Amsterdam");
  ASSERT_EQ(s.presets.size(), 1u);
  EXPECT_EQ(s.presets[0].name(), "115200 8N1");
  EXPECT_EQ(s.decoder.time_zone, "Europe/Amsterdam");
  EXPECT_TRUE(s.decoder.encryption_key.empty());
  EXPECT_FALSE(s.decoder.hex_decode_ids);

  RecordingContext old_meter(meterd::dsmr_p1::describe_options, {{"serial", "9600 7E1"}, {"hex_decode_ids", "true"}});
  const auto o = meterd::dsmr_p1::parse_settings(old_meter.options(), "Europe/Amsterdam");
  EXPECT_EQ(o.presets.at(0).name(), "9600 7E1");
  EXPECT_TRUE(o.decoder.hex_decode_ids);

  RecordingContext automatic(meterd::dsmr_p1::describe_options, {{"serial", "auto"}});
  const auto a = meterd::dsmr_p1::parse_settings(automatic.options(), "Europe/Amsterdam");
  std::vector<std::string> names;
  for (const auto& p : a.presets) names.push_back(p.name());
  EXPECT_EQ(names, (std::vector<std::string>{"115200 8N1", "9600 7E1", "2400 8E1", "9600 8N1"}));
}

TEST(DsmrP1Settings, RejectsAMalformedKeyBeforeOpeningAnything) {
  RecordingContext ctx(meterd::dsmr_p1::describe_options, {{"key", "00112233"}});
  EXPECT_THROW(DsmrP1Source source(ctx), std::invalid_argument);
  RecordingContext tcp(meterd::dsmr_p1::describe_options, {{"transport", "tcp"}, {"address", "no-port"}});
  EXPECT_THROW(DsmrP1Source source(tcp), std::invalid_argument);
}
