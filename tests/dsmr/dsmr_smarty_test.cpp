// Luxembourg Smarty envelope: decryption, key problems, integrity.
#include <gtest/gtest.h>

#include "decoder_run.hpp"
#include "dsmr_telegram_builder.hpp"
#include "meterd/dsmr/dsmr_stream_decoder.hpp"

namespace meterd::testing {
namespace {

using dsmr::DsmrDecoderConfig;
using dsmr::DsmrStreamDecoder;

const std::array<std::uint8_t, 16> kEk = {0x5A, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                          0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0x01};
const std::array<std::uint8_t, 16> kLuxAk = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                             0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
const char* kEkHex = "5A112233445566778899AABBCCDDEE01";

DsmrDecoderConfig with_key(const char* key = kEkHex) {
  DsmrDecoderConfig c;
  c.encryption_key = key;
  return c;
}

std::string smarty_telegram() {
  return DsmrTelegramBuilder("Lux5\\253663629_D")
      .line("1-3:0.2.8(42)")
      .line("0-0:1.0.0(230315120000W)")
      .line("0-0:42.0.0(53414730303330303033373632393631)")
      .line("1-0:1.8.0(000123.456*kWh)")
      .line("1-0:3.7.0(00.000)")
      .build();
}

TEST(DsmrSmarty, AuthenticatedEnvelopeDecodes) {
  DsmrStreamDecoder d(with_key());
  const auto env = smarty_envelope(smarty_telegram(), kEk, kLuxAk);
  const auto run = run_decoder(d, env);
  ASSERT_EQ(run.messages.size(), 1u) << run.transcript();
  EXPECT_TRUE(run.diagnostics.empty()) << run.transcript();
  EXPECT_EQ(run.messages[0].frame_counter, 0x10000001u);
  EXPECT_EQ(run.messages[0].meter_id, "");
  EXPECT_EQ(d.counters().frames_ok, 1u);
}

TEST(DsmrSmarty, ConsecutiveEnvelopesWithGarbageInBetween) {
  DsmrStreamDecoder d(with_key());
  auto stream = smarty_envelope(smarty_telegram(), kEk, kLuxAk);
  const std::vector<std::uint8_t> junk = {0x00, 0xDB, 0x07, 0xDB, 0x08, 0x01};  // false starts
  stream.insert(stream.end(), junk.begin(), junk.end());
  SmartyEnvelopeOptions second;
  second.frame_counter = 0x10000002;
  const auto env2 = smarty_envelope(smarty_telegram(), kEk, kLuxAk, second);
  stream.insert(stream.end(), env2.begin(), env2.end());
  DsmrStreamDecoder whole(with_key());
  const auto reference = run_decoder(whole, stream);
  ASSERT_EQ(reference.messages.size(), 2u) << reference.transcript();
  EXPECT_EQ(reference.messages[1].frame_counter, 0x10000002u);
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    DsmrStreamDecoder part(with_key());
    ASSERT_EQ(run_split(part, stream, split).transcript(), reference.transcript()) << split;
  }
}

TEST(DsmrSmarty, NoKeyConfigured) {
  DsmrStreamDecoder d;
  const auto run = run_decoder(d, smarty_envelope(smarty_telegram(), kEk, kLuxAk));
  EXPECT_TRUE(run.messages.empty());
  ASSERT_TRUE(run.has_diagnostic("no_key")) << run.transcript();
  EXPECT_NE(run.diagnostics[0].message.find("534147677000"), std::string::npos);  // system title shown
  EXPECT_EQ(d.counters().errors, 1u);
}

TEST(DsmrSmarty, WrongKeyIsNamedAsSuchOncePerRun) {
  DsmrStreamDecoder d(with_key("000102030405060708090A0B0C0D0E0F"));
  auto stream = smarty_envelope(smarty_telegram(), kEk, kLuxAk);
  const auto again = smarty_envelope(smarty_telegram(), kEk, kLuxAk);
  stream.insert(stream.end(), again.begin(), again.end());
  const auto run = run_decoder(d, stream);
  EXPECT_TRUE(run.messages.empty());
  EXPECT_EQ(run.count("wrong_key"), 1u) << run.transcript();
  EXPECT_EQ(d.counters().errors, 2u);
}

TEST(DsmrSmarty, WrongAuthenticationKey) {
  DsmrDecoderConfig c = with_key();
  c.authentication_key = "FFEEDDCCBBAA99887766554433221100";
  DsmrStreamDecoder d(c);
  const auto run = run_decoder(d, smarty_envelope(smarty_telegram(), kEk, kLuxAk));
  EXPECT_TRUE(run.messages.empty());
  EXPECT_TRUE(run.has_diagnostic("authentication_failed")) << run.transcript();
}

TEST(DsmrSmarty, CorruptedCiphertextIsRejected) {
  DsmrStreamDecoder d(with_key());
  auto env = smarty_envelope(smarty_telegram(), kEk, kLuxAk);
  env[150] ^= 0x40;
  const auto run = run_decoder(d, env);
  EXPECT_TRUE(run.messages.empty());
  EXPECT_TRUE(run.has_diagnostic("authentication_failed")) << run.transcript();
}

TEST(DsmrSmarty, StaleTelegramCrcAcceptedAfterVerifiedTag) {
  std::string t = smarty_telegram();
  t[t.size() - 3] = t[t.size() - 3] == '0' ? '1' : '0';  // damage the CRC digits only
  DsmrStreamDecoder d(with_key());
  const auto run = run_decoder(d, smarty_envelope(t, kEk, kLuxAk));
  ASSERT_EQ(run.messages.size(), 1u);
  EXPECT_TRUE(run.has_diagnostic("crc_mismatch_in_envelope"));
}

TEST(DsmrSmarty, UntaggedEnvelopeIsDecryptedButFlagged) {
  SmartyEnvelopeOptions o;
  o.security_control = 0x20;
  DsmrStreamDecoder d(with_key());
  const auto run = run_decoder(d, smarty_envelope(smarty_telegram(), kEk, kLuxAk, o));
  ASSERT_EQ(run.messages.size(), 1u) << run.transcript();
  EXPECT_TRUE(run.has_diagnostic("not_authenticated"));
}

TEST(DsmrSmarty, OversizeEnvelopeLengthIsNotTrusted) {
  DsmrDecoderConfig c = with_key();
  c.max_telegram_bytes = 600;  // the plain sample telegram fits, the envelope does not
  DsmrStreamDecoder d(c);
  auto stream = smarty_envelope(smarty_telegram() + std::string(800, ' '), kEk, kLuxAk);
  const auto plain = bytes_of(sample_dsmr5_telegram());
  stream.insert(stream.end(), plain.begin(), plain.end());
  const auto run = run_decoder(d, stream);
  EXPECT_EQ(run.messages.size(), 1u);  // the plain telegram after it
  EXPECT_GT(d.counters().garbage_bytes, 0u);
}

TEST(DsmrSmarty, LooksLikeEnvelope) {
  EXPECT_TRUE(DsmrStreamDecoder::looks_like(smarty_envelope(smarty_telegram(), kEk, kLuxAk)));
}

}  // namespace
}  // namespace meterd::testing
