// The decision logic of the e450_cii source without any I/O: preset auto-detection,
// diagnostic rate limiting, silence reports and option checking.
#include <gtest/gtest.h>

#include "cii_settings.hpp"
#include "cii_test_support.hpp"
#include "meterd/meter_source/diagnostic_throttle.hpp"
#include "e450_cii_source.hpp"
#include "meterd/meter_source/preset_auto_detector.hpp"
#include "meterd/meter_source/silence_monitor.hpp"

using namespace meterd::e450_cii;
using namespace meterd::meter_source;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Verdict = PresetAutoDetector::Verdict;

TEST(PresetAutoDetector, TriesThePresetsInOrderAndWrapsAround) {
  PresetAutoDetector d(meterd::transport::cii_auto_presets(), 10s);
  const auto t0 = Clock::time_point{} + 1h;
  d.begin_trial(t0, 0);
  EXPECT_EQ(d.current().name(), "2400 8E1");
  EXPECT_EQ(d.observe(t0 + 9s, 0, true), Verdict::keep);
  EXPECT_EQ(d.observe(t0 + 10s, 0, true), Verdict::switch_preset);
  EXPECT_EQ(d.current().name(), "9600 8N1");
  d.begin_trial(t0 + 10s, 0);
  EXPECT_EQ(d.observe(t0 + 20s, 0, false), Verdict::switch_preset);
  EXPECT_EQ(d.current().name(), "115200 8N1");
  d.begin_trial(t0 + 20s, 0);
  EXPECT_EQ(d.observe(t0 + 30s, 0, true), Verdict::switch_preset);
  EXPECT_EQ(d.current().name(), "2400 8E1");
  EXPECT_FALSE(d.is_locked());
  EXPECT_EQ(d.trials(), 3u);
}

TEST(PresetAutoDetector, LocksOnTheFirstValidFrameAndStaysThroughSilence) {
  PresetAutoDetector d(meterd::transport::cii_auto_presets(), 10s, 3);
  const auto t0 = Clock::time_point{} + 1h;
  d.begin_trial(t0, 0);
  ASSERT_EQ(d.observe(t0 + 10s, 0, true), Verdict::switch_preset);
  d.begin_trial(t0 + 10s, 5);  // counters carried over from before do not count as progress
  EXPECT_EQ(d.observe(t0 + 11s, 5, true), Verdict::keep);
  EXPECT_EQ(d.observe(t0 + 12s, 6, true), Verdict::locked);
  EXPECT_TRUE(d.is_locked());
  EXPECT_EQ(d.current().name(), "9600 8N1");
  // A silent line (meter off) keeps the lock however long it lasts.
  EXPECT_EQ(d.observe(t0 + 500s, 6, false), Verdict::keep);
  EXPECT_TRUE(d.is_locked());
  // Reconnects keep the preset.
  d.begin_trial(t0 + 501s, 0);
  EXPECT_EQ(d.current().name(), "9600 8N1");
  EXPECT_EQ(d.observe(t0 + 502s, 1, true), Verdict::keep);
  // Bytes without valid frames for three windows: the rate changed, search again.
  EXPECT_EQ(d.observe(t0 + 520s, 1, true), Verdict::keep);
  EXPECT_EQ(d.observe(t0 + 532s, 1, true), Verdict::lost_lock);
  EXPECT_FALSE(d.is_locked());
  EXPECT_EQ(d.current().name(), "115200 8N1");
}

TEST(PresetAutoDetector, ASinglePresetNeverSwitches) {
  PresetAutoDetector d({meterd::transport::parse_serial_settings("2400 8E1")}, 1s);
  const auto t0 = Clock::time_point{} + 1h;
  d.begin_trial(t0, 0);
  EXPECT_EQ(d.observe(t0 + 100s, 0, true), Verdict::keep);
  EXPECT_THROW(PresetAutoDetector({}, 1s), std::invalid_argument);
}

TEST(DiagnosticThrottle, PassesABurstPerIntervalAndCountsTheRest) {
  DiagnosticThrottle t(2, 10s);
  const auto t0 = Clock::time_point{} + 1h;
  EXPECT_EQ(t.admit("crc_error", t0), 0u);
  EXPECT_EQ(t.admit("crc_error", t0 + 1s), 0u);
  EXPECT_FALSE(t.admit("crc_error", t0 + 2s));
  EXPECT_FALSE(t.admit("crc_error", t0 + 3s));
  // Another code has its own budget.
  EXPECT_EQ(t.admit("wrong_key", t0 + 3s), 0u);
  // Next interval: the first report mentions the two held back.
  EXPECT_EQ(t.admit("crc_error", t0 + 10s), 2u);
  EXPECT_EQ(t.admit("crc_error", t0 + 11s), 0u);
  EXPECT_FALSE(t.admit("crc_error", t0 + 12s));
  EXPECT_EQ(t.held_back_total(), 3u);
}

TEST(SilenceMonitor, ReportsOncePerPeriodOfSilence) {
  SilenceMonitor m(5s);
  const auto t0 = Clock::time_point{} + 1h;
  m.restart(t0);
  EXPECT_FALSE(m.report_due(t0 + 4s));
  EXPECT_EQ(m.report_due(t0 + 5s), 5s);
  EXPECT_FALSE(m.report_due(t0 + 9s));
  EXPECT_EQ(m.report_due(t0 + 10s), 10s);
  m.bytes_arrived(t0 + 11s);
  EXPECT_FALSE(m.report_due(t0 + 15s));
  SilenceMonitor off(0s);
  off.restart(t0);
  EXPECT_FALSE(off.report_due(t0 + 1000h));
}

namespace {

CiiSettings settings(const std::multimap<std::string, std::string>& options) {
  meterd::cii_test::RecordingContext ctx(describe_e450_cii_options, options);
  return parse_settings(ctx.options(), "Europe/Zurich");
}

}  // namespace

TEST(CiiSettings, DefaultsAreASerialAdapterAt2400_8E1) {
  const CiiSettings s = settings({});
  EXPECT_EQ(s.transport, TransportKind::serial);
  EXPECT_EQ(s.device, "/dev/ttyUSB0");
  ASSERT_EQ(s.presets.size(), 1u);
  EXPECT_EQ(s.presets[0].name(), "2400 8E1");
  EXPECT_FALSE(s.auto_preset);
  EXPECT_FALSE(s.decoder.encryption_key);
  EXPECT_EQ(s.decoder.profile, "auto");
  EXPECT_EQ(s.silence_timeout, 60s);
}

TEST(CiiSettings, ParsesKeysScalersAndAuto) {
  const CiiSettings s = settings({{"serial", "auto"},
                                  {"key", "0x00112233 44556677 8899AABB CCDDEEFF"},
                                  {"auth_key", "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"},
                                  {"scaler", "1-0:32.7.0=-1"},
                                  {"scaler", "1-0:31.7.0=-3"},
                                  {"transport", "tcp"},
                                  {"address", "10.0.0.2:2001"}});
  EXPECT_TRUE(s.auto_preset);
  EXPECT_EQ(s.presets.size(), 4u);  // the CII presets, then 9600 7E1 for DSMR 2.2 P1
  ASSERT_TRUE(s.decoder.encryption_key);
  EXPECT_EQ((*s.decoder.encryption_key)[15], 0xFF);
  ASSERT_TRUE(s.decoder.authentication_key);
  EXPECT_EQ(s.decoder.scaler_overrides.at("1-0:32.7.0"), -1);
  EXPECT_EQ(s.decoder.scaler_overrides.at("1-0:31.7.0"), -3);
  EXPECT_EQ(s.address.port, 2001);
}

TEST(CiiSettings, RejectsWhatCannotWork) {
  for (const auto& bad : std::vector<std::multimap<std::string, std::string>>{
           {{"transport", "usb"}},
           {{"serial", "2400"}},
           {{"key", "0011"}},
           {{"auth_key", "zz112233445566778899AABBCCDDEEFF"}},
           {{"require_auth", "true"}},
           {{"profile", "no_such_meter"}},
           {{"scaler", "1-0:32.7.0"}},
           {{"scaler", "1-0:32.7.0=x"}},
           {{"transport", "tcp"}},
           {{"transport", "tcp"}, {"address", "host"}},
           {{"transport", "replay"}},
           {{"replay_format", "base64"}},
           {{"reconnect_initial", "5"}, {"reconnect_max", "1"}},
           {{"diagnostic_burst", "0"}},
           {{"framing", "ppp"}},
           {{"positional", "1-0:1.7.0, volts"}},
           {{"layout", "/nonexistent/meter.layout"}},
           {{"layout", "/etc/hostname"}, {"positional", "1-0:1.7.0"}},
       })
    EXPECT_THROW(settings(bad), std::invalid_argument) << bad.begin()->first << "=" << bad.begin()->second;
}
