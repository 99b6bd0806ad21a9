// Faults on the wire and in the keys: every one must leave a diagnostic that says what is
// wrong, and never stop later good pushes from decoding.
#include <gtest/gtest.h>

#include "dlms_test_support.hpp"
#include "meterd/dlms/diagnostic_codes.hpp"
#include "push_frame_builder.hpp"

namespace dlms_test {
namespace {

namespace diag = meterd::dlms::diag;
using namespace axdr;

const Key kEk = key_from_hex("000102030405060708090A0B0C0D0E0F");
const Key kAk = key_from_hex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
const Title kTitle = {'L', 'G', 'Z', 0x67, 0x12, 0x34, 0x56, 0x78};

Bytes push(std::uint32_t invoke) {
  E450Values v;
  v.a_plus += invoke;
  return gbt_frames(notification(invoke, std::nullopt, e450_body(v)), 60);
}

Bytes encrypted(std::uint32_t fc, std::uint8_t sc = 0x30) {
  return gbt_frames(glo_cipher(notification(fc, std::nullopt, e450_body({})), kEk, kAk, sc, kTitle, fc), 90);
}

TEST(dlms_Faults, EveryFlippedBitDropsOnlyThatPush) {
  const Bytes good = push(1);
  const Bytes next = push(2);
  for (std::size_t byte = 0; byte < good.size(); byte += 3) {
    for (int bit : {0, 5}) {
      Bytes bad = good;
      bad[byte] ^= static_cast<std::uint8_t>(1 << bit);
      const DecoderRun run = run_decoder({}, concat({bad, next}));
      ASSERT_GE(run.messages.size(), 1u) << "byte " << byte;
      EXPECT_EQ(find_value(run.messages.back(), "1-1:1.8.0")->raw.value_or(0), 482941) << "byte " << byte;
      EXPECT_LE(run.messages.size(), 1u) << "a damaged push must not decode, byte " << byte;
    }
  }
}

TEST(dlms_Faults, CrcErrorIsReported) {
  Bytes bad = push(1);
  bad[bad.size() / 2] ^= 0x40;
  const DecoderRun run = run_decoder({}, bad);
  EXPECT_TRUE(run.messages.empty());
  EXPECT_TRUE(run.has(diag::crc_error));
  EXPECT_GE(run.counters.frames_bad, 1u);
}

TEST(dlms_Faults, TruncationAndGarbageBetweenPushes) {
  const Bytes a = push(1), b = push(2), c = push(3);
  const Bytes cut(a.begin(), a.begin() + static_cast<long>(a.size() * 2 / 3));
  const Bytes garbage = {0x00, 0x7E, 0xA0, 0x05, 0x68, 0x11, 0x22, 0x68, 0x7E, 0x7E, 0x13, 0xFF};
  const DecoderRun run = run_decoder({}, concat({garbage, cut, b, garbage, c, garbage}));
  ASSERT_EQ(run.messages.size(), 2u);
  EXPECT_EQ(find_value(run.messages[0], "1-1:1.8.0")->raw.value_or(0), 482941);
  EXPECT_EQ(find_value(run.messages[1], "1-1:1.8.0")->raw.value_or(0), 482942);
  EXPECT_GT(run.counters.garbage_bytes, 0u);
}

TEST(dlms_Faults, GarbageOnlyNamesThePresets) {
  Bytes noise(3000);
  std::uint32_t s = 1;
  for (auto& x : noise) {
    s = s * 1103515245u + 12345u;
    x = static_cast<std::uint8_t>(s >> 16);
  }
  const DecoderRun run = run_decoder({}, noise);
  EXPECT_TRUE(run.messages.empty());
  ASSERT_EQ(run.count(diag::no_valid_frame), 1u);
  for (const auto& d : run.diagnostics) {
    if (d.code != diag::no_valid_frame) continue;
    for (const char* preset : {"2400 8E1", "9600 8N1", "115200 8N1"}) EXPECT_NE(d.message.find(preset), std::string::npos);
  }
  const DecoderRun short_run = run_decoder({}, Bytes(noise.begin(), noise.begin() + 40));
  EXPECT_EQ(short_run.count(diag::no_valid_frame), 1u);
}

TEST(dlms_Faults, GbtDuplicateAndGapDropOnlyThatMessage) {
  const Bytes apdu = notification(1, std::nullopt, e450_body({}));
  const Bytes dup = gbt_frames(apdu, 60, {0, 1, 1, 2, 3, 4});
  const Bytes gap = gbt_frames(apdu, 60, {0, 2, 3, 4});
  const DecoderRun run = run_decoder({}, concat({dup, gap, push(2)}));
  ASSERT_EQ(run.messages.size(), 1u);
  EXPECT_GE(run.count(diag::reassembly_dropped), 2u);
}

TEST(dlms_Faults, OversizeMessageIsDropped) {
  std::vector<Bytes> many;
  for (int k = 0; k < 400; ++k) many.push_back(u32(static_cast<std::uint32_t>(k)));
  const Bytes wire = gbt_frames(notification(1, std::nullopt, structure_of(many)), 100);
  meterd::dlms::DlmsConfig config;
  config.max_message_bytes = 1000;
  const DecoderRun run = run_decoder(config, concat({wire, push(2)}));
  EXPECT_TRUE(run.has(diag::message_too_large));
  EXPECT_EQ(run.messages.size(), 1u);
}

TEST(dlms_Faults, EncryptedWithoutKeySaysSo) {
  const DecoderRun run = run_decoder({}, concat({encrypted(1), encrypted(2)}));
  EXPECT_TRUE(run.messages.empty());
  EXPECT_EQ(run.count(diag::encrypted_no_key), 1u);
  EXPECT_EQ(run.counters.errors, 2u);
  EXPECT_FALSE(run.has(diag::no_valid_frame));
}

TEST(dlms_Faults, WrongKeyIsNeverNoData) {
  meterd::dlms::DlmsConfig config;
  config.encryption_key = key_from_hex("FF0102030405060708090A0B0C0D0E0F");
  const DecoderRun run = run_decoder(config, concat({encrypted(1), encrypted(2)}));
  EXPECT_TRUE(run.messages.empty());
  EXPECT_EQ(run.count(diag::wrong_key), 2u);
  EXPECT_FALSE(run.has(diag::no_valid_frame));
  EXPECT_GT(run.counters.frames_ok, 0u);
  // With the AK configured the message also says the tag failed.
  config.authentication_key = kAk;
  const DecoderRun with_ak = run_decoder(config, encrypted(3));
  ASSERT_TRUE(with_ak.has(diag::wrong_key));
  for (const auto& d : with_ak.diagnostics) {
    if (d.code == diag::wrong_key) {
      EXPECT_NE(d.message.find("tag does not verify"), std::string::npos);
    }
  }
}

TEST(dlms_Faults, WrongAuthenticationKeyStillDecrypts) {
  meterd::dlms::DlmsConfig config;
  config.encryption_key = kEk;
  config.authentication_key = key_from_hex("00000000000000000000000000000000");
  const DecoderRun run = run_decoder(config, encrypted(1));
  EXPECT_EQ(run.messages.size(), 1u);
  EXPECT_TRUE(run.has(diag::auth_tag_mismatch));
  config.require_authentication = true;
  const DecoderRun strict = run_decoder(config, encrypted(1));
  EXPECT_TRUE(strict.messages.empty());
  EXPECT_TRUE(strict.has(diag::auth_tag_mismatch));
}

TEST(dlms_Faults, TamperedCiphertextFailsTheTag) {
  Bytes apdu = glo_cipher(notification(1, std::nullopt, e450_body({})), kEk, kAk, 0x30, kTitle, 5);
  apdu[apdu.size() - 20] ^= 0x01;  // inside a uint32 value: plaintext stays structurally valid
  meterd::dlms::DlmsConfig config;
  config.encryption_key = kEk;
  config.authentication_key = kAk;
  const DecoderRun run = run_decoder(config, gbt_frames(apdu, 100));
  EXPECT_TRUE(run.has(diag::auth_tag_mismatch));
}

TEST(dlms_Faults, ReplayedFrameCounterIsRejected) {
  meterd::dlms::DlmsConfig config;
  config.encryption_key = kEk;
  const DecoderRun run = run_decoder(config, concat({encrypted(10), encrypted(11), encrypted(11), encrypted(9), encrypted(12)}));
  EXPECT_EQ(run.messages.size(), 3u);
  EXPECT_EQ(run.count(diag::repeated_frame_counter), 2u);
}

TEST(dlms_Faults, StaleFirstBlockIsReplaced) {
  const Bytes apdu = notification(1, std::nullopt, e450_body({}));
  const Bytes stale = gbt_frames(apdu, 60, {0, 1});
  const DecoderRun run = run_decoder({}, concat({stale, push(2)}));
  EXPECT_EQ(run.messages.size(), 1u);
  EXPECT_TRUE(run.has(diag::incomplete_message));
}

TEST(dlms_Faults, ChunkingInvarianceOnAFaultyStream) {
  Bytes noisy = concat({Bytes{1, 2, 3, 0x7E}, push(1), Bytes{0x7E, 0xA0}, encrypted(1), push(2)});
  noisy[40] ^= 0x10;
  meterd::dlms::DlmsConfig config;
  config.encryption_key = kEk;
  const std::string whole = run_decoder(config, noisy).fingerprint();
  for (std::size_t cut = 1; cut < noisy.size(); ++cut) ASSERT_EQ(run_decoder(config, noisy, {cut}).fingerprint(), whole) << cut;
  EXPECT_EQ(run_bytewise(config, noisy).fingerprint(), whole);
}

}  // namespace
}  // namespace dlms_test
