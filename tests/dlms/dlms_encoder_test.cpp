// The library's E450 push encoder, checked byte for byte against real captures and against
// the independent test builder, and round-tripped through the decoder.
#include <gtest/gtest.h>

#include "dlms_test_support.hpp"
#include "meterd/dlms/e450_push_encoder.hpp"
#include "meterd/dlms/xdlms_apdu.hpp"
#include "meterd/hex.hpp"
#include "push_frame_builder.hpp"

namespace dlms_test {
namespace {

using meterd::dlms::CosemDateTime;
using meterd::dlms::E450EncoderOptions;
using meterd::dlms::E450Push;
using meterd::dlms::E450PushEncoder;
using meterd::dlms::E450Readings;

const Vector* find_vector(const std::string& id) {
  static const std::vector<Vector> all = load_dlms_vectors();
  for (const auto& v : all)
    if (v.id == id) return &v;
  return nullptr;
}

CosemDateTime cosem(int y, int mo, int d, int wd, int h, int mi, int s, std::uint8_t status) {
  CosemDateTime t;
  t.year = y, t.month = mo, t.day = d, t.weekday = wd, t.hour = h, t.minute = mi, t.second = s;
  t.status = status;
  return t;
}

TEST(dlms_Encoder, ReproducesTheE450Cfg2026CaptureByteForByte) {
  const Vector* v = find_vector("SCS-E450-06");
  if (!v) GTEST_SKIP() << "shared vectors not found in " << vectors_dir();
  E450Readings r;
  r.logical_device_name = "LGZ1030653520967";
  r.serial = "1909113";
  r.clock = cosem(2026, 5, 4, 1, 11, 39, 21, 0x81);
  r.active_energy_import_wh = 482939;
  r.reactive_energy_import_varh = 37;
  r.reactive_energy_export_varh = 344697;
  r.active_power_import_w = 28;
  r.voltage_v[0] = r.voltage_v[1] = 236;
  r.current_centiamp[0] = 9;
  r.current_centiamp[1] = 8;
  E450Push push;
  push.invoke_id = 0x00D7DD82;
  push.header_time = cosem(2026, 5, 4, 1, 11, 39, 20, 0x00);
  push.items = meterd::dlms::vse2026_e450_items(r);
  E450EncoderOptions options;
  options.block_sizes = {112, 108, 122};
  const auto wire = E450PushEncoder(options).encode(push);
  EXPECT_EQ(meterd::to_hex(wire), meterd::to_hex(v->data));
}

TEST(dlms_Encoder, ReproducesTheAuthenticatedCiphertextOfARealMeter) {
  const Vector* v = find_vector("AMS-LG501-1");
  if (!v) GTEST_SKIP() << "shared vectors not found in " << vectors_dir();
  // The APDU sits between the LLC header and the FCS of the single frame.
  const Bytes apdu(v->data.begin() + 12, v->data.end() - 3);
  meterd::dlms::CipherHeaderError err;
  const auto c = meterd::dlms::parse_ciphered_apdu(apdu, err);
  ASSERT_TRUE(c);
  const auto ek = meterd::dlms::parse_aes_key(*v->encryption_key);
  const auto ak = meterd::dlms::parse_aes_key(*v->authentication_key);
  meterd::dlms::GcmDecryptor decryptor;
  std::vector<std::uint8_t> plain;
  ASSERT_TRUE(decryptor.decrypt(ek, c->system_title, c->frame_counter, c->ciphertext, plain));
  EXPECT_EQ(plain.at(0), 0x0F);
  const auto again = meterd::dlms::glo_ciphering_apdu(ek, ak, c->security_control, c->system_title, c->frame_counter, plain);
  EXPECT_EQ(meterd::to_hex(again), meterd::to_hex(apdu));
  Title title;
  std::copy(c->system_title.begin(), c->system_title.end(), title.begin());
  const Bytes independent = glo_cipher(plain, ek, ak, c->security_control, title, c->frame_counter);
  EXPECT_EQ(meterd::to_hex(independent), meterd::to_hex(apdu));
}

TEST(dlms_Encoder, MatchesTheIndependentBuilder) {
  E450Readings r;
  r.clock = cosem(2026, 5, 4, 0xFF, 11, 39, 21, 0x81);
  E450Push push;
  push.invoke_id = 7;
  push.items = meterd::dlms::vse2026_e450_items(r);
  E450EncoderOptions options;
  options.max_block_data = 64;
  const auto wire = E450PushEncoder(options).encode(push);

  using namespace axdr;
  std::vector<CaptureItem> items{
      {1, obis(0, 0, 42, 0, 0), 2, text(r.logical_device_name)},
      {1, obis(0, 0, 96, 1, 1), 2, text(r.serial)},
      {8, obis(0, 0, 1, 0, 0), 2, datetime(2026, 5, 4, 11, 39, 21, std::nullopt, 0x81)},
  };
  for (int c : {1, 2, 3, 4}) items.push_back({3, obis(1, 1, c, 8, 0), 2, u32(0)});
  for (int c : {1, 2}) items.push_back({3, obis(1, 0, c, 7, 0), 2, u32(0)});
  for (int c : {32, 52, 72, 31, 51, 71}) items.push_back({3, obis(1, 0, c, 7, 0), 2, u16(0)});
  // The builder's date-time leaves hundredths 00; align the encoder's unspecified (FF) field.
  Bytes expected = gbt_frames(notification(7, std::nullopt, capture_list_body(items)), 64);
  const DecoderRun a = run_decoder({}, wire);
  const DecoderRun b = run_decoder({}, expected);
  ASSERT_EQ(a.messages.size(), 1u);
  ASSERT_EQ(b.messages.size(), 1u);
  EXPECT_EQ(meterd::to_json_line(a.messages[0]), meterd::to_json_line(b.messages[0]));
  EXPECT_EQ(wire.size(), expected.size());
}

TEST(dlms_Encoder, EncryptedRoundTrip) {
  E450Readings r;
  r.clock = cosem(2026, 1, 4, 7, 8, 0, 0, 0x00);
  r.voltage_v[0] = 231;
  r.current_centiamp[2] = 1234;
  E450EncoderOptions options;
  options.encryption_key = meterd::dlms::parse_aes_key("0x00112233445566778899AABBCCDDEEFF");
  options.authentication_key = meterd::dlms::parse_aes_key("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
  E450PushEncoder encoder(options);
  meterd::dlms::DlmsConfig config;
  config.encryption_key = options.encryption_key;
  config.authentication_key = options.authentication_key;
  Bytes stream;
  for (std::uint32_t fc = 1; fc <= 3; ++fc) {
    E450Push push;
    push.invoke_id = fc;
    push.frame_counter = fc;
    push.items = meterd::dlms::vse2026_e450_items(r);
    const auto w = encoder.encode(push);
    stream.insert(stream.end(), w.begin(), w.end());
  }
  const DecoderRun run = run_decoder(config, stream);
  ASSERT_EQ(run.messages.size(), 3u);
  EXPECT_TRUE(run.diagnostics.empty());
  EXPECT_NEAR(number_of(*find_value(run.messages[2], "1-0:71.7.0")), 12.34, 1e-12);
  EXPECT_EQ(run.messages[2].time->utc_offset_minutes.value_or(0), 60);
}

}  // namespace
}  // namespace dlms_test
