// Choosing the input layer: a byte sequence valid as two layers goes to the likelier one and
// says so; forced bare layers never turn garbage into readings.
#include <gtest/gtest.h>

#include <array>
#include <random>

#include "dlms_test_support.hpp"
#include "meterd/dlms/diagnostic_codes.hpp"

namespace dlms_test {
namespace {

namespace diag = meterd::dlms::diag;
using meterd::dlms::Framing;

const Vector* kaifa_frame() {
  static const std::vector<Vector> all = load_dlms_vectors();
  for (const auto& v : all)
    if (v.id == "AMS-KFM180-2") return &v;
  return nullptr;
}

// A data-notification whose body is one octet-string holding a whole, checksummed HDLC frame.
Bytes notification_around(const Bytes& frame) {
  return concat({Bytes{0x0F, 0x00, 0x00, 0x00, 0x01, 0x00, 0x09, 0x81, static_cast<std::uint8_t>(frame.size())}, frame});
}

TEST(DlmsFraming, BytesValidAsApduAndAsFrameAreReadAsTheFrameAndSaySo) {
  const Vector* v = kaifa_frame();
  if (!v) GTEST_SKIP() << "vector AMS-KFM180-2 missing";
  ASSERT_LT(v->data.size(), 256u);
  const Bytes input = notification_around(v->data);

  const DecoderRun automatic = run_decoder(meterd::dlms::DlmsConfig{}, input);
  ASSERT_EQ(automatic.messages.size(), 1u) << automatic.fingerprint();
  EXPECT_EQ(automatic.messages[0].meter_id, "6970631403275928");
  ASSERT_TRUE(automatic.has(diag::framing_detected));
  for (const auto& d : automatic.diagnostics)
    if (d.code == diag::framing_detected) {
      EXPECT_NE(d.message.find("checksum verifies"), std::string::npos) << d.message;
    }

  // Forced to the other reading: one octet-string is no push layout, so no reading at all.
  meterd::dlms::DlmsConfig apdu;
  apdu.framing = Framing::apdu;
  const DecoderRun forced = run_decoder(apdu, input);
  EXPECT_TRUE(forced.messages.empty());
  EXPECT_TRUE(forced.has(diag::unsupported_layout));
}

TEST(DlmsFraming, GarbageIsNoReadingInAnyLayer) {
  std::mt19937 random(20261206);
  for (const Framing framing : {Framing::auto_detect, Framing::llc, Framing::apdu}) {
    meterd::dlms::DlmsConfig config;
    config.framing = framing;
    for (int round = 0; round < 200; ++round) {
      Bytes garbage(1 + random() % 600);
      for (auto& b : garbage) b = static_cast<std::uint8_t>(random());
      // Start like a push would, so the bare layers really look at it.
      garbage[0] = std::array<std::uint8_t, 4>{0x0F, 0xDB, 0xE0, 0xE6}[round % 4];
      EXPECT_TRUE(run_decoder(config, garbage).messages.empty()) << meterd::dlms::framing_name(framing) << " round " << round;
    }
  }
}

TEST(DlmsFraming, AnIncompleteBareUnitAtTheEndIsReported) {
  const Vector* v = kaifa_frame();
  if (!v) GTEST_SKIP() << "vector AMS-KFM180-2 missing";
  // The information field of the frame, cut short: no reading, and the hint names --framing.
  meterd::dlms::DlmsConfig llc;
  llc.framing = Framing::llc;
  const Bytes info(v->data.begin() + 9, v->data.end() - 20);
  ASSERT_EQ(info[0], 0xE6);
  const DecoderRun run = run_decoder(llc, info);
  EXPECT_TRUE(run.messages.empty());
  ASSERT_TRUE(run.has(diag::no_valid_frame));
  for (const auto& d : run.diagnostics)
    if (d.code == diag::no_valid_frame) {
      EXPECT_NE(d.message.find("--framing"), std::string::npos) << d.message;
    }
}

}  // namespace
}  // namespace dlms_test
