// Every DSMR vector of the shared corpus decodes to what it states, in any chunking.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "decoder_run.hpp"
#include "meterd/crc16.hpp"
#include "meterd/dsmr/dsmr_stream_decoder.hpp"
#include "protocol_vectors.hpp"

namespace meterd::testing {
namespace {

using dsmr::DsmrDecoderConfig;
using dsmr::DsmrStreamDecoder;

DsmrDecoderConfig config_for(const ProtocolVector& v) {
  DsmrDecoderConfig c;
  c.encryption_key = v.encryption_key;
  if (!v.authentication_key.empty()) c.authentication_key = v.authentication_key;
  return c;
}

class DsmrVector : public ::testing::TestWithParam<ProtocolVector> {};

TEST_P(DsmrVector, DecodesWhatItStates) {
  const ProtocolVector& v = GetParam();
  DsmrStreamDecoder decoder(config_for(v));
  const auto run = run_decoder(decoder, v.data);
  if (!v.decodes) {
    EXPECT_TRUE(run.messages.empty());
    return;
  }
  ASSERT_EQ(run.messages.size(), 1u) << run.transcript();
  const DecodedMessage& m = run.messages.front();
  EXPECT_EQ(m.protocol, "dsmr");
  EXPECT_EQ(m.meter_id, v.meter_id);
  ASSERT_EQ(m.time.has_value(), v.time.has_value());
  if (v.time) {
    EXPECT_EQ(wall_clock(*m.time), *v.time);
    // Zurich: +01:00 in winter time, +02:00 in summer time. The calendar decides; the meter's
    // S/W flag matters in the months of the change (one test telegram says S in February).
    ASSERT_TRUE(m.time->dst.has_value());
    const int month = m.time->month;
    const bool summer = month >= 4 && month <= 9 ? true : (month == 3 || month == 10) ? *m.time->dst : false;
    EXPECT_EQ(m.time->utc_offset_minutes, summer ? 120 : 60);
  }
  for (const auto& e : v.values) expect_value(m, e);
  EXPECT_FALSE(run.has_diagnostic("bad_line")) << run.transcript();
  EXPECT_FALSE(run.has_diagnostic("crc_error"));
  EXPECT_EQ(decoder.counters().messages, 1u);
  EXPECT_EQ(decoder.counters().bytes, v.data.size());
}

TEST_P(DsmrVector, OutputIndependentOfChunking) {
  const ProtocolVector& v = GetParam();
  DsmrStreamDecoder whole(config_for(v));
  const std::string reference = run_decoder(whole, v.data).transcript();
  ASSERT_FALSE(reference.empty());
  for (std::size_t split = 0; split <= v.data.size(); ++split) {
    DsmrStreamDecoder d(config_for(v));
    ASSERT_EQ(run_split(d, v.data, split).transcript(), reference) << "split at " << split;
  }
  DsmrStreamDecoder bytewise(config_for(v));
  EXPECT_EQ(run_decoder(bytewise, v.data, 1).transcript(), reference);
  DsmrStreamDecoder sevens(config_for(v));
  EXPECT_EQ(run_decoder(sevens, v.data, 7).transcript(), reference);
}

TEST_P(DsmrVector, LooksLikeDsmr) { EXPECT_TRUE(DsmrStreamDecoder::looks_like(GetParam().data)); }

INSTANTIATE_TEST_SUITE_P(Shared, DsmrVector, ::testing::ValuesIn(load_vectors("dsmr")),
                         [](const auto& info) { return test_name_of(info.param); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DsmrVector);

TEST(DsmrVectors, CorpusPresent) {
  if (!vectors_available()) GTEST_SKIP() << "no shared vectors at " << vectors_dir();
  EXPECT_GE(load_vectors("dsmr").size(), 8u);
}

// The Kamstrup vector's upstream test: CR stripped and the CRC recomputed decodes the same.
TEST(DsmrVectors, LineFeedOnlyTelegramWithRecomputedCrc) {
  const auto all = load_vectors("dsmr");
  const auto it = std::find_if(all.begin(), all.end(), [](const auto& v) { return v.id == "AMS-DSMR578-1"; });
  if (it == all.end()) GTEST_SKIP() << "AMS-DSMR578-1 not available";
  std::string text(it->data.begin(), it->data.end());
  std::erase(text, '\r');
  const auto bang = text.find("\n!") + 1;
  text = text.substr(0, bang + 1);
  char crc[8];
  std::snprintf(crc, sizeof crc, "%04X\n",
                crc16_arc({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}));
  text += crc;
  DsmrStreamDecoder original, stripped;
  const auto a = run_decoder(original, it->data), b = run_decoder(stripped, bytes_of(text));
  ASSERT_EQ(b.messages.size(), 1u) << b.transcript();
  EXPECT_EQ(to_json_line(a.messages.at(0)), to_json_line(b.messages.at(0)));
}

}  // namespace
}  // namespace meterd::testing
