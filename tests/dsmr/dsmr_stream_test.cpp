// Framing: resynchronisation, faults, bounded buffers, diagnostics and counters.
#include <gtest/gtest.h>

#include <random>

#include "decoder_run.hpp"
#include "dsmr_telegram_builder.hpp"
#include "meterd/dsmr/dsmr_stream_decoder.hpp"

namespace meterd::testing {
namespace {

using dsmr::DsmrDecoderConfig;
using dsmr::DsmrStreamDecoder;
using Crc = DsmrTelegramBuilder::Crc;

std::vector<std::uint8_t> concat(std::initializer_list<std::string> parts) {
  std::string all;
  for (const auto& p : parts) all += p;
  return bytes_of(all);
}

TEST(DsmrStream, ValidTelegramDecodes) {
  DsmrStreamDecoder d;
  const auto run = run_decoder(d, bytes_of(sample_dsmr5_telegram()));
  ASSERT_EQ(run.messages.size(), 1u) << run.transcript();
  EXPECT_TRUE(run.diagnostics.empty()) << run.transcript();
  EXPECT_EQ(d.counters().frames_ok, 1u);
  EXPECT_EQ(d.counters().garbage_bytes, 0u);
}

TEST(DsmrStream, BadCrcIsDroppedWithDiagnostic) {
  DsmrStreamDecoder d;
  const auto t = DsmrTelegramBuilder().line("1-0:1.8.1(000004.426*kWh)").build(Crc::wrong);
  const auto run = run_decoder(d, bytes_of(t));
  EXPECT_TRUE(run.messages.empty());
  ASSERT_TRUE(run.has_diagnostic("crc_error")) << run.transcript();
  EXPECT_EQ(d.counters().frames_bad, 1u);
  EXPECT_EQ(d.counters().messages, 0u);
}

TEST(DsmrStream, TelegramWithoutCrcIsAcceptedAndFlagged) {
  DsmrStreamDecoder d;
  const auto t = DsmrTelegramBuilder("XMX5XMXABCE000018914").line("1-0:1.8.1(00004.426*kWh)").build(Crc::absent);
  const auto run = run_decoder(d, bytes_of(t));
  ASSERT_EQ(run.messages.size(), 1u);
  ASSERT_TRUE(run.has_diagnostic("no_crc"));
  EXPECT_EQ(run.diagnostics.front().severity, Severity::info);
}

TEST(DsmrStream, ResynchronisesAfterGarbage) {
  DsmrStreamDecoder d;
  const std::string junk = "\x01\x02garbage\xFF\xFE";
  const auto run = run_decoder(d, concat({junk, sample_dsmr5_telegram(), junk, sample_dsmr5_telegram(), junk}));
  EXPECT_EQ(run.messages.size(), 2u) << run.transcript();
  EXPECT_EQ(d.counters().garbage_bytes, 3 * junk.size());
  EXPECT_FALSE(run.has_diagnostic("no_telegram"));
}

TEST(DsmrStream, CutTelegramIsReportedAndNextOneDecodes) {
  DsmrStreamDecoder d;
  const std::string full = sample_dsmr5_telegram();
  const std::string cut = full.substr(0, full.find("1-0:1.7.0"));  // ends at a line start
  const auto run = run_decoder(d, concat({cut, full}));
  ASSERT_EQ(run.messages.size(), 1u) << run.transcript();
  EXPECT_TRUE(run.has_diagnostic("truncated"));
  EXPECT_EQ(d.counters().frames_bad, 1u);
}

TEST(DsmrStream, EndOfInputInsideTelegramIsReported) {
  DsmrStreamDecoder d;
  const std::string full = sample_dsmr5_telegram();
  const auto run = run_decoder(d, bytes_of(full.substr(0, full.size() / 2)));
  EXPECT_TRUE(run.messages.empty());
  EXPECT_TRUE(run.has_diagnostic("truncated"));
}

TEST(DsmrStream, OversizeTelegramIsDroppedAndReaderRecovers) {
  DsmrDecoderConfig c;
  c.max_telegram_bytes = 1024;
  DsmrStreamDecoder d(c);
  DsmrTelegramBuilder big;
  for (int i = 0; i < 100; ++i) big.line("1-0:1.8.1(000004.426*kWh)");
  const auto run = run_decoder(d, concat({big.build(), sample_dsmr5_telegram()}));
  ASSERT_EQ(run.messages.size(), 1u) << run.transcript();
  EXPECT_EQ(run.count("oversize"), 1u);
  EXPECT_EQ(run.messages[0].values.size(), 11u);  // 12 lines, one of them the clock
}

TEST(DsmrStream, NoiseReportsSerialSettingsOnce) {
  DsmrDecoderConfig c;
  c.no_telegram_report_bytes = 2000;
  DsmrStreamDecoder d(c);
  std::mt19937 rng(7);
  std::vector<std::uint8_t> noise(10000);
  for (auto& b : noise) b = static_cast<std::uint8_t>(rng() % 0x2F);  // never '/', never 0xDB
  const auto run = run_decoder(d, noise, 97);
  EXPECT_TRUE(run.messages.empty());
  ASSERT_EQ(run.count("no_telegram"), 1u) << run.transcript();
  const std::string& msg = run.diagnostics.front().message;
  EXPECT_NE(msg.find("115200 8N1"), std::string::npos);
  EXPECT_NE(msg.find("9600 7E1"), std::string::npos);
  EXPECT_EQ(d.counters().garbage_bytes, noise.size());
}

TEST(DsmrStream, SevenBitDataReadAsEightBitIsHinted) {
  DsmrDecoderConfig c;
  c.no_telegram_report_bytes = 500;
  DsmrStreamDecoder d(c);
  // 7E1 characters seen through 8N1: the even-parity bit lands in bit 7.
  std::vector<std::uint8_t> wire;
  for (int i = 0; i < 3; ++i)
    for (std::uint8_t ch : sample_dsmr5_telegram()) {
      const bool odd = __builtin_popcount(ch) % 2 == 1;
      wire.push_back(static_cast<std::uint8_t>(ch | (odd ? 0x80 : 0)));
    }
  const auto run = run_decoder(d, wire);
  EXPECT_TRUE(run.messages.empty());
  ASSERT_TRUE(run.has_diagnostic("no_telegram")) << run.transcript();
  EXPECT_NE(run.transcript().find("7E1 data"), std::string::npos);
}

TEST(DsmrStream, NoTelegramReportIsReArmedByAGoodTelegram) {
  DsmrDecoderConfig c;
  c.no_telegram_report_bytes = 100;
  DsmrStreamDecoder d(c);
  const std::string junk(150, '\x05');
  const auto run = run_decoder(d, concat({junk, junk, sample_dsmr5_telegram(), junk}));
  EXPECT_EQ(run.count("no_telegram"), 2u);
  EXPECT_EQ(run.messages.size(), 1u);
}

TEST(DsmrStream, EasyMeterGatewayPaddingIsSkipped) {
  DsmrStreamDecoder d;
  const std::string t = DsmrTelegramBuilder("ESY5Q3DB1024 V3.04").line("1-0:1.8.0*255(00052185.7825309*kWh)").build(Crc::absent);
  const std::string padding = "  25803103\r\n" + std::string(33, '\xFF') + "\r\n";
  const auto run = run_decoder(d, concat({t, padding, t, padding}));
  EXPECT_EQ(run.messages.size(), 2u);
  EXPECT_EQ(d.counters().garbage_bytes, 2 * padding.size());
}

TEST(DsmrStream, RandomStreamsAreChunkingInvariant) {
  // Telegrams, faults and garbage interleaved; every chunking must give the same transcript.
  std::mt19937 rng(42);
  std::string stream;
  for (int i = 0; i < 12; ++i) {
    switch (rng() % 4) {
      case 0: stream += sample_dsmr5_telegram(); break;
      case 1: stream += DsmrTelegramBuilder().line("1-0:1.8.1(000004.426*kWh)").build(Crc::wrong); break;
      case 2: stream += sample_dsmr5_telegram().substr(0, 100 + rng() % 100); break;
      default: stream += std::string(1 + rng() % 40, static_cast<char>(rng() % 256)); break;
    }
  }
  const auto bytes = bytes_of(stream);
  DsmrStreamDecoder whole;
  const std::string reference = run_decoder(whole, bytes).transcript();
  for (std::size_t chunk : {1u, 2u, 3u, 5u, 64u, 333u}) {
    DsmrStreamDecoder d;
    EXPECT_EQ(run_decoder(d, bytes, chunk).transcript(), reference) << "chunk " << chunk;
  }
}

TEST(DsmrStream, LooksLike) {
  EXPECT_TRUE(DsmrStreamDecoder::looks_like(bytes_of("\r\n/KFM5KAIFA-METER\r\n")));
  EXPECT_FALSE(DsmrStreamDecoder::looks_like(bytes_of("hello world, no telegram here")));
  const std::vector<std::uint8_t> sml = {0x1B, 0x1B, 0x1B, 0x1B, 0x01, 0x01, 0x01, 0x01, 0x76, 0x05};
  EXPECT_FALSE(DsmrStreamDecoder::looks_like(sml));
}

TEST(DsmrStream, RejectsBadConfiguration) {
  DsmrDecoderConfig c;
  c.time_zone = "Nowhere/Atlantis";
  EXPECT_THROW(DsmrStreamDecoder{c}, std::invalid_argument);
  DsmrDecoderConfig k;
  k.encryption_key = "0x1234";
  EXPECT_THROW(DsmrStreamDecoder{k}, std::invalid_argument);
  DsmrDecoderConfig ok;
  ok.encryption_key = "0x00:11:22:33:44:55:66:77-88 99 aa bb cc dd ee ff";
  EXPECT_NO_THROW(DsmrStreamDecoder{ok});
}

}  // namespace
}  // namespace meterd::testing
