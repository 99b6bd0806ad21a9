// A user who picked the wrong plugin for the meter is told which one to use: the serial
// `auto` search of every meter source also listens for the other protocols.
#include <gtest/gtest.h>

#include <thread>

#include "cii_test_support.hpp"
#include "dsmr_p1_settings.hpp"
#include "dsmr_p1_source.hpp"
#include "e450_cii_source.hpp"
#include "sml_settings.hpp"
#include "sml_source.hpp"
#include "vector_reading_check.hpp"

using namespace meterd::test_support;
using namespace std::chrono_literals;
namespace diag = meterd::meter_source::diag;

namespace {

// Writes `bytes` repeatedly until the source says `wrong_plugin` (or a few seconds pass) and
// returns that message.
std::string hint_after_feeding(RecordingContext& ctx, PtyPair& pty, const std::vector<std::uint8_t>& bytes) {
  if (!ctx.wait_for_log("reading serial", 1, 5s)) return "source never opened the port";
  for (int i = 0; i < 40 && ctx.count_code(diag::wrong_plugin) == 0; ++i) {
    pty.write(bytes);
    std::this_thread::sleep_for(100ms);
  }
  for (const auto& d : ctx.diagnostics())
    if (d.code == diag::wrong_plugin) return d.message;
  return "no wrong_plugin diagnostic; seen:\n" + ctx.dump_diagnostics();
}

std::multimap<std::string, std::string> auto_on(const std::filesystem::path& link) {
  return {{"device", link.string()}, {"serial", "auto"}, {"auto_window", "0.5"}};
}

}  // namespace

TEST(WrongPlugin, E450CiiOnAP1LineSaysUseDsmrP1) {
  const auto vectors = meterd::p1_test::decodable_vectors("dsmr");
  if (vectors.empty()) GTEST_SKIP() << "no DP-*.json vectors in " << meterd::testing::vectors_dir();
  TempDir dir;
  PtyPair pty(dir.path() / "meter.tty");
  RecordingContext ctx(meterd::e450_cii::describe_e450_cii_options, auto_on(dir.path() / "meter.tty"));
  RunningSource source(std::make_unique<meterd::e450_cii::E450CiiSource>(ctx));
  const std::string hint = hint_after_feeding(ctx, pty, vectors.front().data);
  source.stop();
  EXPECT_NE(hint.find("looks like DSMR P1 at "), std::string::npos) << hint;
  EXPECT_NE(hint.find("use plugin dsmr_p1"), std::string::npos) << hint;
  EXPECT_EQ(ctx.reading_count(), 0u);
}

TEST(WrongPlugin, SmlOnAP1LineSaysUseDsmrP1AndP1OnAnSmlLineSaysUseSml) {
  const auto p1 = meterd::p1_test::decodable_vectors("dsmr");
  const auto sml = meterd::p1_test::decodable_vectors("sml");
  if (p1.empty() || sml.empty()) GTEST_SKIP() << "no DP-/SML- vectors in " << meterd::testing::vectors_dir();
  {
    TempDir dir;
    PtyPair pty(dir.path() / "head.tty");
    RecordingContext ctx(meterd::sml_source::describe_options, auto_on(dir.path() / "head.tty"));
    RunningSource source(std::make_unique<meterd::sml_source::SmlSource>(ctx));
    const std::string hint = hint_after_feeding(ctx, pty, p1.front().data);
    EXPECT_NE(hint.find("use plugin dsmr_p1"), std::string::npos) << hint;
  }
  {
    TempDir dir;
    PtyPair pty(dir.path() / "p1.tty");
    // A fixed preset, not auto: the hint does not depend on the search.
    RecordingContext ctx(meterd::dsmr_p1::describe_options, {{"device", (dir.path() / "p1.tty").string()}});
    RunningSource source(std::make_unique<meterd::dsmr_p1::DsmrP1Source>(ctx));
    const std::string hint = hint_after_feeding(ctx, pty, sml.front().data);
    EXPECT_NE(hint.find("looks like SML at 115200 8N1"), std::string::npos) << hint;
    EXPECT_NE(hint.find("use plugin sml"), std::string::npos) << hint;
  }
}

TEST(WrongPlugin, DsmrP1OnACiiLineSaysUseE450Cii) {
  TempDir dir;
  PtyPair pty(dir.path() / "cii.tty");
  RecordingContext ctx(meterd::dsmr_p1::describe_options, auto_on(dir.path() / "cii.tty"));
  RunningSource source(std::make_unique<meterd::dsmr_p1::DsmrP1Source>(ctx));
  const std::string hint = hint_after_feeding(ctx, pty, meterd::cii_test::e450_push(1, "LGZ1030000000042"));
  EXPECT_NE(hint.find("use plugin e450_cii"), std::string::npos) << hint;
}

TEST(WrongPlugin, TheRightPluginGivesNoHint) {
  const auto p1 = meterd::p1_test::decodable_vectors("dsmr");
  if (p1.empty()) GTEST_SKIP() << "no DP-*.json vectors in " << meterd::testing::vectors_dir();
  TempDir dir;
  PtyPair pty(dir.path() / "p1.tty");
  RecordingContext ctx(meterd::dsmr_p1::describe_options, auto_on(dir.path() / "p1.tty"));
  RunningSource source(std::make_unique<meterd::dsmr_p1::DsmrP1Source>(ctx));
  ASSERT_TRUE(ctx.wait_for_log("reading serial", 1, 5s));
  for (int i = 0; i < 5; ++i) {
    pty.write(p1.front().data);
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(ctx.wait_for_readings(3, 5s)) << ctx.dump_diagnostics();
  source.stop();
  EXPECT_EQ(ctx.count_code(diag::wrong_plugin), 0u) << ctx.dump_diagnostics();
  EXPECT_EQ(ctx.count_code(diag::preset_locked), 1u) << ctx.dump_diagnostics();
}
