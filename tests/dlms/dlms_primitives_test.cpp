// Building blocks: keys, OBIS, CRC and HDLC header, A-XDR limits, COSEM date-time, GBT.
#include <gtest/gtest.h>

#include "meterd/crc16.hpp"
#include "meterd/dlms/axdr_reader.hpp"
#include "meterd/dlms/cosem_datetime.hpp"
#include "meterd/dlms/dlms_keys.hpp"
#include "meterd/dlms/link_frames.hpp"
#include "meterd/dlms/obis_catalogue.hpp"
#include "meterd/dlms/reassembly.hpp"
#include "meterd/hex.hpp"
#include "push_frame_builder.hpp"

namespace dlms_test {
namespace {

using namespace meterd::dlms;

TEST(dlms_Keys, NormalisesPastedKeys) {
  const AesKey expected = parse_aes_key("000102030405060708090A0B0C0D0E0F");
  EXPECT_EQ(parse_aes_key("0x000102030405060708090a0b0c0d0e0f"), expected);
  EXPECT_EQ(parse_aes_key(" 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F "), expected);
  EXPECT_EQ(parse_aes_key("00010203-04050607-08090A0B-0C0D0E0F"), expected);
  EXPECT_THROW(parse_aes_key("0001"), std::invalid_argument);
  EXPECT_THROW(parse_aes_key("000102030405060708090A0B0C0D0E0G"), std::invalid_argument);
  EXPECT_THROW(parse_aes_key("000102030405060708090A0B0C0D0E0F00"), std::invalid_argument);
}

TEST(dlms_Obis, ParseFormatAndCatalogue) {
  const auto o = Obis::parse("1-1:1.8.2");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->to_string(), "1-1:1.8.2");
  EXPECT_EQ(Obis::parse("1-0:32.7.0.255")->f, 255);
  EXPECT_FALSE(Obis::parse("1-0:32"));
  EXPECT_FALSE(Obis::parse("1-0:300.7.0"));
  EXPECT_EQ(lookup_obis(*o)->quantity, "active_energy_import_t2");
  EXPECT_EQ(lookup_obis(*Obis::parse("1-0:52.7.0"))->unit, "V");
  EXPECT_FALSE(lookup_obis(*Obis::parse("1-0:200.7.0")));
  EXPECT_EQ(identity_rank(*Obis::parse("0-0:42.0.0")), IdentityRank::logical_device_name);
  EXPECT_EQ(identity_rank(*Obis::parse("0-1:96.1.0")), IdentityRank::none);  // sub-meter channel
  EXPECT_EQ(dlms_unit_symbol(30), "Wh");
}

TEST(dlms_Hdlc, CrcCheckValueAndWorkedExample) {
  const std::string check = "123456789";
  const auto* p = reinterpret_cast<const std::uint8_t*>(check.data());
  EXPECT_EQ(crc_x25(p, check.size()), 0x906E);
  EXPECT_EQ(meterd::crc16_x25(std::span<const std::uint8_t>(p, check.size())), 0x906E);
  const std::uint8_t header[] = {0xA0, 0x64, 0xCE, 0xFF, 0x03, 0x13};
  EXPECT_EQ(meterd::crc16_x25(header), 0xA0F4);
}

TEST(dlms_Hdlc, ReadsAddressesAndRejectsBadFrames) {
  const Bytes f = hdlc_frame({0xE6, 0xE7, 0x00, 0x0F}, false, {0x00, 0x02, 0x00, 0x23}, {0x41});
  const auto r = read_hdlc_frame(f);
  ASSERT_EQ(r.status, FrameStatus::ok);
  EXPECT_EQ(r.frame.destination, 0x00020023u);
  EXPECT_EQ(r.frame.source, 0x41u);
  EXPECT_EQ(r.frame.info.size(), 4u);
  EXPECT_EQ(read_hdlc_frame(std::span<const std::uint8_t>(f).first(f.size() - 2)).status, FrameStatus::need_more);
  Bytes bad_hcs = f;
  bad_hcs[9] ^= 1;
  EXPECT_EQ(read_hdlc_frame(bad_hcs).status, FrameStatus::bad_hcs);
  Bytes bad_fcs = f;
  bad_fcs[f.size() - 4] ^= 1;
  EXPECT_EQ(read_hdlc_frame(bad_fcs).status, FrameStatus::bad_fcs);
  const Bytes five_address_bytes = {0x7E, 0xA0, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x13, 0x00, 0x00, 0x7E};
  EXPECT_EQ(read_hdlc_frame(five_address_bytes).status, FrameStatus::not_a_frame);
}

TEST(dlms_Axdr, RejectsBeforeAllocating) {
  AxdrTree tree;
  const Bytes huge_count = {0x01, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x00};
  EXPECT_FALSE(tree.parse(huge_count));
  EXPECT_EQ(tree.error(), AxdrError::truncated);
  const Bytes unknown = {0x02, 0x01, 0x13, 0x00};
  EXPECT_FALSE(tree.parse(unknown));
  EXPECT_EQ(tree.error(), AxdrError::unknown_tag);
  Bytes deep;
  for (int k = 0; k < 40; ++k) deep.insert(deep.end(), {0x02, 0x01});
  deep.push_back(0x00);
  EXPECT_FALSE(tree.parse(deep));
  EXPECT_EQ(tree.error(), AxdrError::too_deep);
  const Bytes trailing = {0x11, 0x05, 0x00};
  EXPECT_FALSE(tree.parse_exact(trailing));
  EXPECT_EQ(tree.error(), AxdrError::trailing_bytes);
  const Bytes values = {0x02, 0x03, 0x10, 0xFF, 0xFE, 0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0A, 0x02, 'h', 'i'};
  ASSERT_TRUE(tree.parse_exact(values));
  EXPECT_EQ(tree.node(1).integer, -2);
  EXPECT_EQ(tree.child(0, 2), 3u);
  EXPECT_EQ(tree.content(3).size(), 2u);
}

TEST(dlms_DateTime, ValidatesAndConverts) {
  EXPECT_FALSE(parse_cosem_datetime(axdr::datetime_raw(2024, 13, 1, 0, 0, 0, std::nullopt, 0)));
  EXPECT_FALSE(parse_cosem_datetime(axdr::datetime_raw(2024, 1, 1, 24, 0, 0, std::nullopt, 0)));
  const auto t = parse_cosem_datetime(axdr::datetime_raw(2023, 6, 6, 17, 31, 20, -120, 0x80, 18));
  ASSERT_TRUE(t);
  EXPECT_EQ(*t->deviation, -120);
  CosemTimeConverter conv(meterd::TimeZone::load("Europe/Zurich"));
  const auto m = conv.to_meter_time(*t);
  ASSERT_TRUE(m);
  EXPECT_EQ(meterd::format_meter_time(*m), "2023-06-06T17:31:20.180+02:00");
  EXPECT_EQ(encode_cosem_datetime(*t)[9], 0xFF);
  // Standard time all year (Kamstrup): July still reports +01:00 in Zurich.
  const auto summer = parse_cosem_datetime(axdr::datetime_raw(2024, 7, 1, 12, 0, 0, std::nullopt, 0xFF));
  EXPECT_EQ(conv.to_meter_time(*summer, true)->utc_offset_minutes.value_or(0), 60);
  EXPECT_EQ(conv.to_meter_time(*summer, false)->utc_offset_minutes.value_or(0), 120);
}

TEST(dlms_Gbt, ParsesLongFormLengthAndRestartsOnBlockOne) {
  Bytes block = {0xE0, 0xC0, 0x00, 0x01, 0x00, 0x00, 0x81, 0x80};
  block.resize(block.size() + 0x80, 0xAB);
  const auto b = parse_gbt_block(block);
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->last);
  EXPECT_EQ(b->data.size(), 0x80u);
  GbtReassembler r(100);
  bool discarded = false;
  EXPECT_EQ(r.add(*b, discarded), ReassemblyResult::overflow);
  block.pop_back();
  EXPECT_FALSE(parse_gbt_block(block));
}

}  // namespace
}  // namespace dlms_test
