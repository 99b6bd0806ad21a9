// The e450_cii source in-process against real pseudo-terminals, sockets and files: unplug and
// replug of a serial adapter, a gateway that drops the connection, replayed captures, `auto`
// serial detection, silence reports and rate-limited diagnostics.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <gtest/gtest.h>
#include <random>
#include <thread>

#include "cii_test_support.hpp"
#include "e450_cii_source.hpp"
#include "meterd/dlms/link_frame_scanner.hpp"
#include "meterd/hex.hpp"

using namespace meterd::cii_test;
using namespace std::chrono_literals;
using meterd::e450_cii::E450CiiSource;
using meterd::e450_cii::describe_e450_cii_options;
namespace diag = meterd::e450_cii::diag;

namespace {

constexpr const char* kMeter = "LGZ1030000000042";

// Every reading must be the push with the same index, in order: nothing lost, nothing doubled.
void expect_pushes_in_order(const std::vector<meterd::v1::Reading>& readings, std::uint32_t first, std::uint32_t count) {
  ASSERT_EQ(readings.size(), count);
  for (std::uint32_t i = 0; i < count; ++i) {
    const PushValues v = push_values(first + i);
    EXPECT_EQ(readings[i].meter_id(), kMeter);
    EXPECT_DOUBLE_EQ(value_of(readings[i], "1-1:1.8.0"), v.energy_wh) << "reading " << i;
    EXPECT_DOUBLE_EQ(value_of(readings[i], "1-0:1.7.0"), v.power_w) << "reading " << i;
    EXPECT_DOUBLE_EQ(value_of(readings[i], "1-0:32.7.0"), v.voltage_l1) << "reading " << i;
    EXPECT_NEAR(value_of(readings[i], "1-0:31.7.0"), 1.23, 1e-9);
  }
}

std::multimap<std::string, std::string> fast_retry(std::multimap<std::string, std::string> o) {
  o.insert({"reconnect_initial", "0.05"});
  o.insert({"reconnect_max", "0.2"});
  return o;
}

}  // namespace

TEST(E450CiiSerial, ContinuesAfterTheAdapterIsUnpluggedAndReplugged) {
  TempDir dir;
  const auto link = dir.path() / "usb-mbus-slave";
  auto pty = std::make_unique<PtyPair>(link);
  RecordingContext ctx(describe_e450_cii_options,
                       fast_retry({{"device", link.string()}, {"key", kTestKey}}), "house");
  RunningSource source(std::make_unique<E450CiiSource>(ctx));
  // Bytes written before the source opened the port would be flushed on open.
  ASSERT_TRUE(ctx.wait_for_log("reading serial " + link.string() + " 2400 8E1", 1, 5s)) << ctx.dump_diagnostics();
  EXPECT_EQ(pty->current_baud(), 2400u);
  for (std::uint32_t i = 0; i < 4; ++i) pty->write(e450_push(i, kMeter, kTestKey));
  ASSERT_TRUE(ctx.wait_for_readings(4, 5s)) << ctx.dump_diagnostics();

  pty->unplug();
  ASSERT_TRUE(ctx.wait_for_code(diag::disconnected, 1, 5s)) << ctx.dump_diagnostics();
  pty.reset();
  // While the adapter is away the link points nowhere: opening fails and is retried.
  std::filesystem::remove(link);
  ASSERT_TRUE(ctx.wait_for_code(diag::open_failed, 2, 5s)) << ctx.dump_diagnostics();

  pty = std::make_unique<PtyPair>(link);
  ASSERT_TRUE(ctx.wait_for_log("reading serial", 2, 5s)) << ctx.dump_diagnostics();
  for (std::uint32_t i = 4; i < 9; ++i) pty->write(e450_push(i, kMeter, kTestKey));
  ASSERT_TRUE(ctx.wait_for_readings(9, 5s)) << ctx.dump_diagnostics();
  std::this_thread::sleep_for(200ms);  // nothing more may show up
  source.stop();
  expect_pushes_in_order(ctx.readings(), 0, 9);
  EXPECT_EQ(ctx.counters().out.load(), 9u);
}

TEST(E450CiiSerial, ReportsASilentLineOncePerPeriod) {
  TempDir dir;
  PtyPair pty(dir.path() / "adapter");
  RecordingContext ctx(describe_e450_cii_options,
                       {{"device", (dir.path() / "adapter").string()}, {"silence_timeout", "0.3"}});
  RunningSource source(std::make_unique<E450CiiSource>(ctx));
  ASSERT_TRUE(ctx.wait_for_code(diag::no_data, 2, 5s));
  const auto d = ctx.diagnostics();
  const auto it = std::find_if(d.begin(), d.end(), [](const SeenDiagnostic& x) { return x.code == diag::no_data; });
  EXPECT_NE(it->message.find("M-Bus slave"), std::string::npos) << it->message;
  EXPECT_EQ(it->level, meterd::sdk::Level::warning);
  EXPECT_EQ(ctx.reading_count(), 0u);
}

TEST(E450CiiSerial, AutoTriesThePresetsInOrderAndLocksWhereFramesAreValid) {
  TempDir dir;
  PtyPair pty(dir.path() / "adapter");
  RecordingContext ctx(describe_e450_cii_options,
                       {{"device", (dir.path() / "adapter").string()}, {"serial", "auto"}, {"auto_window", "0.6"}});
  RunningSource source(std::make_unique<E450CiiSource>(ctx));
  ASSERT_TRUE(ctx.wait_for_log("reading serial", 1, 5s)) << ctx.dump_diagnostics();
  EXPECT_EQ(pty.current_baud(), 2400u);
  // What a wrong rate looks like: bytes that never form a valid frame. Keep them coming until
  // the source has moved on to the second preset.
  std::mt19937 random(7);
  std::vector<std::uint8_t> garbage(64);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (pty.current_baud() != 9600 && std::chrono::steady_clock::now() < deadline) {
    for (auto& b : garbage) b = static_cast<std::uint8_t>(random());
    pty.write(garbage);
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(pty.current_baud(), 9600u) << ctx.dump_diagnostics();
  // Now the meter "speaks" at this rate: valid frames until the source locks.
  std::uint32_t i = 0;
  while (ctx.count_code(diag::preset_locked) == 0 && i < 40) {
    pty.write(e450_push(i++, kMeter));
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(ctx.count_code(diag::preset_locked), 1u) << ctx.dump_diagnostics();
  // Locked: several windows later it is still on 9600 8N1 and decoding.
  const std::size_t before = ctx.reading_count();
  for (int k = 0; k < 30; ++k) {
    pty.write(e450_push(i++, kMeter));
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(ctx.wait_for_readings(before + 30, 3s));
  EXPECT_EQ(pty.current_baud(), 9600u);
  source.stop();
  std::vector<std::string> trials;
  std::string locked;
  for (const auto& d : ctx.diagnostics()) {
    if (d.code == diag::preset_trial) trials.push_back(d.message.substr(7, d.message.find(" on ") - 7));
    if (d.code == diag::preset_locked) locked = d.message;
  }
  ASSERT_GE(trials.size(), 2u);
  EXPECT_EQ(trials[0], "2400 8E1");
  EXPECT_EQ(trials[1], "9600 8N1");
  EXPECT_EQ(trials.back(), "9600 8N1");  // no trial after the lock
  EXPECT_NE(locked.find("9600 8N1"), std::string::npos) << locked;
}

TEST(E450CiiTcp, ReconnectsWhenTheGatewayDropsTheConnection) {
  const LoopbackSocket socket = bind_loopback();
  const int listener = socket.fd;
  const std::string address = socket.address();
  RecordingContext ctx(describe_e450_cii_options,
                       fast_retry({{"transport", "tcp"}, {"address", address}, {"key", kTestKey}}));
  RunningSource source(std::make_unique<E450CiiSource>(ctx));
  // Not listening yet: refused, retried.
  ASSERT_TRUE(ctx.wait_for_code(diag::open_failed, 2, 5s));
  ASSERT_EQ(::listen(listener, 4), 0);
  auto serve = [&](std::uint32_t first, std::uint32_t count) {
    const int peer = ::accept(listener, nullptr, nullptr);
    ASSERT_GE(peer, 0);
    for (std::uint32_t i = first; i < first + count; ++i) {
      const auto bytes = e450_push(i, kMeter, kTestKey);
      ASSERT_EQ(::write(peer, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    }
    ASSERT_TRUE(ctx.wait_for_readings(first + count, 5s)) << ctx.dump_diagnostics();
    ::close(peer);  // the gateway drops the connection
  };
  serve(0, 3);
  ASSERT_TRUE(ctx.wait_for_code(diag::disconnected, 1, 5s));
  serve(3, 4);
  ASSERT_TRUE(ctx.wait_for_code(diag::disconnected, 2, 5s));
  source.stop();
  ::close(listener);
  expect_pushes_in_order(ctx.readings(), 0, 7);
}

// A gateway that strips HDLC and forwards the information fields (LLC + GBT blocks) over TCP.
TEST(E450CiiTcp, ReadsAGatewayThatStripsTheLinkLayer) {
  const LoopbackSocket socket = bind_loopback();
  const int listener = socket.fd;
  ASSERT_EQ(::listen(listener, 4), 0);
  const std::string address = socket.address();
  RecordingContext ctx(describe_e450_cii_options,
                       fast_retry({{"transport", "tcp"}, {"address", address}, {"key", kTestKey}, {"framing", "llc"}}));
  RunningSource source(std::make_unique<E450CiiSource>(ctx));
  const int peer = ::accept(listener, nullptr, nullptr);
  ASSERT_GE(peer, 0);
  for (std::uint32_t i = 0; i < 4; ++i) {
    meterd::dlms::LinkFrameScanner scanner;
    scanner.append(e450_push(i, kMeter, kTestKey));
    while (auto e = scanner.next(true)) {
      ASSERT_EQ(e->kind, meterd::dlms::LinkFrameScanner::Kind::hdlc);
      ASSERT_EQ(::write(peer, e->hdlc.info.data(), e->hdlc.info.size()), static_cast<ssize_t>(e->hdlc.info.size()));
    }
  }
  ASSERT_TRUE(ctx.wait_for_readings(4, 5s)) << ctx.dump_diagnostics();
  ::close(peer);
  source.stop();
  ::close(listener);
  expect_pushes_in_order(ctx.readings(), 0, 4);
}

TEST(E450CiiReplay, ReplaysHexAndRawCapturesAndReturnsWhenDone) {
  TempDir dir;
  std::vector<std::uint8_t> raw;
  std::string hex;
  for (std::uint32_t i = 0; i < 5; ++i) {
    const auto push = e450_push(i, kMeter);
    raw.insert(raw.end(), push.begin(), push.end());
    hex += meterd::to_hex(push) + "\n";
  }
  std::ofstream(dir.path() / "capture.hex") << hex;
  std::ofstream(dir.path() / "capture.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(raw.data()), static_cast<std::streamsize>(raw.size()));
  for (const char* file : {"capture.hex", "capture.bin"}) {
    RecordingContext ctx(describe_e450_cii_options,
                         {{"transport", "replay"}, {"file", (dir.path() / file).string()},
                          {"record", (dir.path() / (std::string(file) + ".rec")).string()}});
    RunningSource source(std::make_unique<E450CiiSource>(ctx));
    ASSERT_TRUE(source.wait_finished(5s)) << file;
    expect_pushes_in_order(ctx.readings(), 0, 5);
    EXPECT_EQ(ctx.count_code(diag::replay_done), 1u);
    // The recording holds exactly the bytes that came in.
    std::ifstream rec(dir.path() / (std::string(file) + ".rec"), std::ios::binary);
    const std::vector<std::uint8_t> recorded((std::istreambuf_iterator<char>(rec)), std::istreambuf_iterator<char>());
    EXPECT_EQ(recorded, raw) << file;
  }
}

TEST(E450CiiReplay, PacesAtTheConfiguredRate) {
  TempDir dir;
  std::vector<std::uint8_t> raw;
  for (std::uint32_t i = 0; i < 3; ++i) {
    const auto push = e450_push(i, kMeter);
    raw.insert(raw.end(), push.begin(), push.end());
  }
  std::ofstream(dir.path() / "c.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(raw.data()), static_cast<std::streamsize>(raw.size()));
  const double rate = static_cast<double>(raw.size()) / 0.8;  // the whole capture in 0.8 s
  RecordingContext ctx(describe_e450_cii_options, {{"transport", "replay"},
                                                   {"file", (dir.path() / "c.bin").string()},
                                                   {"replay_rate", std::to_string(rate)}});
  const auto start = std::chrono::steady_clock::now();
  RunningSource source(std::make_unique<E450CiiSource>(ctx));
  ASSERT_TRUE(source.wait_finished(5s));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 700ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_EQ(ctx.reading_count(), 3u);
}

TEST(E450CiiReplay, KeepsTheDecoderCodesButLimitsTheirRate) {
  TempDir dir;
  std::vector<std::uint8_t> raw;
  for (std::uint32_t i = 0; i < 30; ++i) {
    auto push = e450_push(i, kMeter);
    push[push.size() - 3] ^= 0x5A;  // break the FCS of the last frame of every push
    raw.insert(raw.end(), push.begin(), push.end());
  }
  const auto good = e450_push(30, kMeter);
  raw.insert(raw.end(), good.begin(), good.end());
  std::ofstream(dir.path() / "c.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(raw.data()), static_cast<std::streamsize>(raw.size()));
  RecordingContext ctx(describe_e450_cii_options, {{"transport", "replay"},
                                                   {"file", (dir.path() / "c.bin").string()},
                                                   {"diagnostic_burst", "3"}});
  RunningSource source(std::make_unique<E450CiiSource>(ctx));
  ASSERT_TRUE(source.wait_finished(5s));
  EXPECT_EQ(ctx.count_code("crc_error"), 3u) << ctx.dump_diagnostics();
  EXPECT_GE(ctx.counters().errors.load(), 30u);
  // The good push after the garbage still comes through.
  expect_pushes_in_order(ctx.readings(), 30, 1);
}

TEST(E450CiiReplay, AWrongKeyIsReportedWithTheDecoderCode) {
  TempDir dir;
  const auto push = e450_push(0, kMeter, kTestKey);
  std::ofstream(dir.path() / "c.hex") << meterd::to_hex(push);
  RecordingContext ctx(describe_e450_cii_options, {{"transport", "replay"},
                                                   {"file", (dir.path() / "c.hex").string()},
                                                   {"key", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"},
                                                   {"meter_id", "garage"}});
  RunningSource source(std::make_unique<E450CiiSource>(ctx));
  ASSERT_TRUE(source.wait_finished(5s));
  EXPECT_EQ(ctx.reading_count(), 0u);
  EXPECT_EQ(ctx.count_code("wrong_key"), 1u) << ctx.dump_diagnostics();
  for (const auto& d : ctx.diagnostics())
    if (d.code == "wrong_key") {
      EXPECT_EQ(d.meter_id, "garage");
    }
}

TEST(E450CiiReplay, AnUnreadableCaptureEndsTheInstanceWithADiagnostic) {
  RecordingContext ctx(describe_e450_cii_options, {{"transport", "replay"}, {"file", "/nonexistent/capture.bin"}});
  RunningSource source(std::make_unique<E450CiiSource>(ctx));
  ASSERT_TRUE(source.wait_finished(5s));
  EXPECT_EQ(ctx.count_code(diag::open_failed), 1u);
}
