// Synthetic pushes through every transport and cipher mode, and the four body layouts.
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

meterd::dlms::DlmsConfig with_keys(bool ek, bool ak) {
  meterd::dlms::DlmsConfig c;
  if (ek) c.encryption_key = kEk;
  if (ak) c.authentication_key = kAk;
  return c;
}

Bytes plain_e450(std::uint32_t invoke = 1, const E450Values& v = {}) {
  return notification(invoke, datetime_raw(2026, 5, 4, 11, 39, 20, std::nullopt, 0x00), e450_body(v));
}

void expect_e450(const DecoderRun& run, const E450Values& v = {}) {
  ASSERT_EQ(run.messages.size(), 1u);
  const auto& m = run.messages[0];
  EXPECT_EQ(m.meter_id, v.ldn);
  ASSERT_TRUE(m.time);
  EXPECT_EQ(m.time->second, v.second);
  EXPECT_EQ(m.time->utc_offset_minutes.value_or(0), 120);  // Zurich in May, from the zone
  EXPECT_FALSE(m.time->offset_stated_by_meter);
  EXPECT_EQ(m.time->dst.value_or(false), true);
  EXPECT_DOUBLE_EQ(number_of(*find_value(m, "1-1:1.8.0")), v.a_plus);
  EXPECT_DOUBLE_EQ(number_of(*find_value(m, "1-0:32.7.0")), v.u[0]);
  EXPECT_DOUBLE_EQ(number_of(*find_value(m, "1-0:31.7.0")), v.i[0] / 100.0);
  EXPECT_EQ(find_value(m, "1-0:31.7.0")->quantity, "current_l1");
}

TEST(dlms_RoundTrip, PlainGbtE450) {
  const DecoderRun run = run_decoder({}, gbt_frames(plain_e450(), 64));
  expect_e450(run);
  EXPECT_TRUE(run.diagnostics.empty());
}

TEST(dlms_RoundTrip, PlainSingleFrameAndSegmentsAndMbus) {
  for (const Bytes& wire : {hdlc_single(plain_e450()), hdlc_segments(plain_e450(), 50), mbus_frames(plain_e450(), 60)}) {
    const DecoderRun run = run_decoder(with_keys(false, false), wire);
    // Without GBT the family is not implied; E450 scalers come from the explicit profile.
    auto config = with_keys(false, false);
    config.profile = "e450_ch";
    expect_e450(run_decoder(config, wire));
    EXPECT_EQ(run.messages.size(), 1u);
  }
}

TEST(dlms_RoundTrip, EncryptedWithTagAndAk) {
  const Bytes wire = gbt_frames(glo_cipher(plain_e450(), kEk, kAk, 0x30, kTitle, 1000), 100);
  const DecoderRun run = run_decoder(with_keys(true, true), wire);
  expect_e450(run);
  EXPECT_TRUE(run.diagnostics.empty());
  EXPECT_EQ(run.messages[0].frame_counter.value_or(0), 1000u);
}

TEST(dlms_RoundTrip, EncryptedWithTagButNoAkIsInformationOnce) {
  const Bytes wire = concat({gbt_frames(glo_cipher(plain_e450(1), kEk, kAk, 0x30, kTitle, 1000), 100),
                             gbt_frames(glo_cipher(plain_e450(2), kEk, kAk, 0x30, kTitle, 1001), 100)});
  const DecoderRun run = run_decoder(with_keys(true, false), wire);
  EXPECT_EQ(run.messages.size(), 2u);
  EXPECT_EQ(run.count(diag::decrypted_unverified), 1u);
  for (const auto& d : run.diagnostics) EXPECT_EQ(d.severity, meterd::Severity::info);
}

TEST(dlms_RoundTrip, EncryptedWithoutTag) {
  const Bytes wire = mbus_frames(glo_cipher(plain_e450(), kEk, std::nullopt, 0x20, kTitle, 7), 200);
  auto config = with_keys(true, false);
  config.profile = "e450_ch";
  const DecoderRun run = run_decoder(config, wire);
  expect_e450(run);
  EXPECT_TRUE(run.diagnostics.empty());
}

TEST(dlms_RoundTrip, DedicatedCipheringTagIsAccepted) {
  Bytes apdu = glo_cipher(plain_e450(), kEk, std::nullopt, 0x20, kTitle, 9);
  apdu[0] = 0xDC;
  const DecoderRun run = run_decoder(with_keys(true, false), gbt_frames(apdu, 120));
  EXPECT_EQ(run.messages.size(), 1u);
}

TEST(dlms_RoundTrip, SeveralApdusInOneFrame) {
  Bytes info;
  for (std::uint32_t k = 0; k < 3; ++k) {
    const Bytes n = notification(k, std::nullopt, structure({u32(1000 + k), u32(k)}));
    info.insert(info.end(), {0xE6, 0xE7, 0x00});
    info.insert(info.end(), n.begin(), n.end());
  }
  meterd::dlms::DlmsConfig config;
  config.positional_obis = {"1-0:1.8.0", "1-0:2.8.0"};
  const DecoderRun run = run_decoder(config, hdlc_frame(info));
  ASSERT_EQ(run.messages.size(), 3u);
  EXPECT_DOUBLE_EQ(number_of(*find_value(run.messages[2], "1-0:1.8.0")), 1002);
  EXPECT_TRUE(run.diagnostics.empty());
}

TEST(dlms_Layouts, ObisPairsWithLeadingDateTime) {
  const Bytes body = structure({datetime(2022, 2, 23, 21, 36, 0, std::nullopt, 0x00), obis(1, 0, 1, 8, 0), u32(6226327),
                                obis(1, 0, 1, 7, 0), u32(769), obis(1, 0, 99, 99, 0), u16(5)});
  const DecoderRun run = run_decoder({}, hdlc_single(notification(1, std::nullopt, body)));
  ASSERT_EQ(run.messages.size(), 1u);
  const auto& m = run.messages[0];
  EXPECT_EQ(m.time->hour, 21);
  EXPECT_DOUBLE_EQ(number_of(*find_value(m, "1-0:1.8.0")), 6226327);
  const auto* unknown = find_value(m, "1-0:99.99.0");  // unknown codes are kept raw
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->raw.value_or(0), 5);
}

TEST(dlms_Layouts, NestedTriplesCarryTheirScalers) {
  const Bytes body = array({structure({obis(0, 0, 96, 1, 0), visible("1KFM0200169986")}),
                            structure({obis(0, 0, 42, 0, 0), visible("KFM1200200169986")}),
                            structure({obis(1, 0, 32, 7, 0), u16(2271), structure({i8(-1), enumerated(35)})}),
                            structure({obis(1, 0, 31, 7, 0), u16(1241), structure({i8(-2), enumerated(33)})}),
                            structure({obis(1, 0, 1, 8, 0), u32(278041), structure({i8(0), enumerated(30)})})});
  const Title kaifa = {'K', 'F', 'M', 0x10, 0x20, 0x02, 0x98, 0x02};
  const Bytes wire = mbus_frames(glo_cipher(notification(5, std::nullopt, body), kEk, std::nullopt, 0x21, kaifa, 5), 100);
  const DecoderRun run = run_decoder(with_keys(true, false), wire);
  ASSERT_EQ(run.messages.size(), 1u);
  const auto& m = run.messages[0];
  EXPECT_EQ(m.meter_id, "1KFM0200169986");  // Kaifa profile prefers the serial over the device name
  EXPECT_NEAR(number_of(*find_value(m, "1-0:32.7.0")), 227.1, 1e-9);
  EXPECT_NEAR(number_of(*find_value(m, "1-0:31.7.0")), 12.41, 1e-9);
  EXPECT_EQ(find_value(m, "1-0:1.8.0")->unit, "Wh");
}

TEST(dlms_Layouts, FlatTriplesWithNullPhases) {
  const Bytes body = structure({visible("Kamstrup_V0001"), obis(1, 1, 1, 7, 0), u32(500), structure({i8(0), enumerated(27)}),
                                obis(1, 1, 52, 7, 0), null_data(), obis(1, 1, 32, 7, 0), u16(231),
                                structure({i8(0), enumerated(35)})});
  const DecoderRun run = run_decoder({}, hdlc_single(notification(1, std::nullopt, body)));
  ASSERT_EQ(run.messages.size(), 1u);
  EXPECT_EQ(find_value(run.messages[0], "1-1:52.7.0"), nullptr);  // null-data: absent phase
  EXPECT_DOUBLE_EQ(number_of(*find_value(run.messages[0], "1-1:32.7.0")), 231);
}

TEST(dlms_Layouts, PositionalBurgenlandTemplate) {
  const Bytes body = structure({u16(236), u16(237), u16(236), u16(0), u16(4), u16(26), u32(29), u32(0), u32(31358606),
                                u32(7619), u16(400), u16(53), u16(295), text("30137181")});
  const DecoderRun run = run_decoder({}, hdlc_single(notification(1, std::nullopt, body)));
  ASSERT_EQ(run.messages.size(), 1u);
  const auto& m = run.messages[0];
  EXPECT_EQ(m.meter_id, "30137181");
  EXPECT_NEAR(number_of(*find_value(m, "1-0:71.7.0")), 0.26, 1e-12);
  std::size_t unidentified = 0;
  for (const auto& v : m.values) unidentified += v.quantity.starts_with("unidentified_item_");
  EXPECT_EQ(unidentified, 3u);  // positions 11-13 kept with their raw values
}

TEST(dlms_Layouts, ConfiguredPositionalTable) {
  const Bytes body = structure({text("4711"), u32(100), u32(200)});
  meterd::dlms::DlmsConfig config;
  config.positional_obis = {"meter_id", "1-0:1.8.0", "1-0:2.8.0"};
  config.scaler_overrides = {{"1-0:2.8.0", 1}};
  const DecoderRun run = run_decoder(config, hdlc_single(notification(1, std::nullopt, body)));
  ASSERT_EQ(run.messages.size(), 1u);
  EXPECT_EQ(run.messages[0].meter_id, "4711");
  EXPECT_DOUBLE_EQ(number_of(*find_value(run.messages[0], "1-0:2.8.0")), 2000);
}

TEST(dlms_Layouts, UnsupportedLayoutShowsADump) {
  const Bytes body = structure({u32(1), u32(2), u32(3)});
  const DecoderRun run = run_decoder({}, hdlc_single(notification(1, std::nullopt, body)));
  EXPECT_TRUE(run.messages.empty());
  ASSERT_TRUE(run.has(diag::unsupported_layout));
  for (const auto& d : run.diagnostics) {
    if (d.code == diag::unsupported_layout) {
      EXPECT_NE(d.message.find("0203060000000106"), std::string::npos);
    }
  }
}

TEST(dlms_Layouts, ScalerOverrideBeatsProfile) {
  meterd::dlms::DlmsConfig config;
  config.scaler_overrides = {{"1-0:32.7.0", -1}};
  const DecoderRun run = run_decoder(config, gbt_frames(plain_e450(), 80));
  ASSERT_EQ(run.messages.size(), 1u);
  EXPECT_NEAR(number_of(*find_value(run.messages[0], "1-0:32.7.0")), 23.6, 1e-12);
  EXPECT_EQ(find_value(run.messages[0], "1-0:32.7.0")->scaler.value_or(99), -1);
}

TEST(dlms_Time, StatedDeviationAndZoneOffsets) {
  auto run_with_clock = [](const Bytes& clock) {
    const Bytes body = structure({obis(0, 0, 1, 0, 0), clock, obis(1, 0, 1, 8, 0), u32(1)});
    return run_decoder({}, hdlc_single(notification(1, std::nullopt, body)));
  };
  const auto stated = run_with_clock(datetime(2020, 8, 15, 6, 19, 45, -120, 0x80));
  EXPECT_EQ(stated.messages.at(0).time->utc_offset_minutes.value_or(0), 120);
  EXPECT_TRUE(stated.messages.at(0).time->offset_stated_by_meter);
  const auto winter = run_with_clock(datetime(2026, 1, 10, 12, 0, 0, std::nullopt, 0x00));
  EXPECT_EQ(winter.messages.at(0).time->utc_offset_minutes.value_or(0), 60);
  EXPECT_FALSE(winter.messages.at(0).time->offset_stated_by_meter);
  // Autumn repeated hour in Zurich (2025-10-26 02:30 happens twice): the DST bit picks summer time.
  const auto first_pass = run_with_clock(datetime(2025, 10, 26, 2, 30, 0, std::nullopt, 0x80));
  EXPECT_EQ(first_pass.messages.at(0).time->utc_offset_minutes.value_or(0), 120);
  const Bytes second = hdlc_single(notification(
      2, std::nullopt,
      structure({obis(0, 0, 1, 0, 0), datetime(2025, 10, 26, 2, 10, 0, std::nullopt, 0x00), obis(1, 0, 1, 8, 0), u32(2)})));
  const Bytes first = hdlc_single(notification(
      1, std::nullopt,
      structure({obis(0, 0, 1, 0, 0), datetime(2025, 10, 26, 2, 50, 0, std::nullopt, 0x00), obis(1, 0, 1, 8, 0), u32(1)})));
  // Without the bit, receive order decides: 02:50 then 02:10 means the clock went back an hour.
  const auto ordered = run_decoder({}, concat({first, second}));
  ASSERT_EQ(ordered.messages.size(), 2u);
  EXPECT_EQ(ordered.messages[0].time->utc_offset_minutes.value_or(0), 120);
  EXPECT_EQ(ordered.messages[1].time->utc_offset_minutes.value_or(0), 60);
}

TEST(dlms_Profiles, FactoryAndNames) {
  const auto names = meterd::dlms::dlms_profile_names();
  EXPECT_EQ(names.front(), "auto");
  for (const char* n : {"generic", "e450_ch", "e570_ch", "e360_ch", "am550_ch", "am550_at", "e450_at", "im350_at",
                        "kaifa_at", "kaifa_no", "kamstrup", "aidon"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
    EXPECT_EQ(meterd::dlms::make_dlms_decoder(n)->config().profile, n);
  }
  EXPECT_THROW(meterd::dlms::make_dlms_decoder("e999"), std::invalid_argument);
  meterd::dlms::DlmsConfig bad;
  bad.scaler_overrides = {{"voltage", 1}};
  EXPECT_THROW(meterd::dlms::DlmsStreamDecoder{bad}, std::invalid_argument);
  meterd::dlms::DlmsConfig zone;
  zone.time_zone = "Mars/Olympus";
  EXPECT_THROW(meterd::dlms::DlmsStreamDecoder{zone}, std::invalid_argument);
}

}  // namespace
}  // namespace dlms_test
