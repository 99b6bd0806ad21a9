// Every SML vector of the shared corpus decodes to what it states, in any chunking.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "decoder_run.hpp"
#include "meterd/sml/sml_stream_decoder.hpp"
#include "protocol_vectors.hpp"

namespace meterd::testing {
namespace {

using sml::SmlDecoderConfig;
using sml::SmlStreamDecoder;

class SmlVector : public ::testing::TestWithParam<ProtocolVector> {};

TEST_P(SmlVector, DecodesWhatItStates) {
  const ProtocolVector& v = GetParam();
  SmlStreamDecoder decoder;
  const auto run = run_decoder(decoder, v.data);
  if (!v.decodes) {
    EXPECT_TRUE(run.messages.empty());
    return;
  }
  ASSERT_EQ(run.messages.size(), 1u) << run.transcript();
  const DecodedMessage& m = run.messages.front();
  EXPECT_EQ(m.protocol, "sml");
  EXPECT_EQ(m.meter_id, v.meter_id);
  EXPECT_EQ(m.time.has_value(), v.time.has_value());
  for (const auto& e : v.values) expect_value(m, e);
  EXPECT_TRUE(run.diagnostics.empty()) << run.transcript();
  EXPECT_EQ(decoder.counters().frames_ok, 1u);
  EXPECT_EQ(decoder.counters().garbage_bytes, 0u);
}

TEST_P(SmlVector, OutputIndependentOfChunking) {
  const ProtocolVector& v = GetParam();
  SmlStreamDecoder whole;
  const std::string reference = run_decoder(whole, v.data).transcript();
  ASSERT_FALSE(reference.empty());
  for (std::size_t split = 0; split <= v.data.size(); ++split) {
    SmlStreamDecoder d;
    ASSERT_EQ(run_split(d, v.data, split).transcript(), reference) << "split at " << split;
  }
  SmlStreamDecoder bytewise;
  EXPECT_EQ(run_decoder(bytewise, v.data, 1).transcript(), reference);
  SmlStreamDecoder threes;
  EXPECT_EQ(run_decoder(threes, v.data, 3).transcript(), reference);
}

TEST_P(SmlVector, CorruptedByteIsCaughtByCrc) {
  const ProtocolVector& v = GetParam();
  auto data = v.data;
  data[data.size() / 2] ^= 0x10;
  SmlStreamDecoder d;
  const auto run = run_decoder(d, data);
  EXPECT_TRUE(run.messages.empty());
  EXPECT_EQ(d.counters().frames_ok, 0u);
  EXPECT_GE(d.counters().frames_bad, 1u) << run.transcript();
}

TEST_P(SmlVector, LooksLikeSml) { EXPECT_TRUE(SmlStreamDecoder::looks_like(GetParam().data)); }

INSTANTIATE_TEST_SUITE_P(Shared, SmlVector, ::testing::ValuesIn(load_vectors("sml")),
                         [](const auto& info) { return test_name_of(info.param); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SmlVector);

TEST(SmlVectors, CorpusPresent) {
  if (!vectors_available()) GTEST_SKIP() << "no shared vectors at " << vectors_dir();
  EXPECT_GE(load_vectors("sml").size(), 4u);
}

// DZG DVS-7412: 356.24 W sent as Integer16 0x8B28; the opt-in fix reads it unsigned.
TEST(SmlVectors, DzgUnsignedPowerFixIsOptIn) {
  const auto all = load_vectors("sml");
  const auto it = std::find_if(all.begin(), all.end(), [](const auto& v) { return v.id == "SML-DZG7412-JMBERG"; });
  if (it == all.end()) GTEST_SKIP() << "SML-DZG7412-JMBERG not available";
  SmlDecoderConfig c;
  c.reinterpret_negative_power_as_unsigned = true;
  SmlStreamDecoder d(c);
  const auto run = run_decoder(d, it->data);
  const DecodedValue* p = find_value(run.messages.at(0), "1-0:16.7.0");
  ASSERT_NE(p, nullptr);
  EXPECT_NEAR(std::get<double>(p->value), 356.24, 1e-9);
  EXPECT_EQ(p->raw, 35624);
  // Energy registers are never touched by the fix.
  EXPECT_NEAR(std::get<double>(find_value(run.messages.at(0), "1-0:1.8.0")->value), 5430157.7, 1e-6);
}

TEST(SmlVectors, AllVectorsBackToBackWithNoise) {
  const auto all = load_vectors("sml");
  if (all.empty()) GTEST_SKIP() << "no shared vectors";
  std::vector<std::uint8_t> stream;
  for (const auto& v : all) {
    stream.insert(stream.end(), {0x00, 0x1B, 0x1B, 0x42});
    stream.insert(stream.end(), v.data.begin(), v.data.end());
  }
  SmlStreamDecoder d;
  const auto run = run_decoder(d, stream, 5);
  EXPECT_EQ(run.messages.size(), all.size()) << run.transcript();
  EXPECT_EQ(d.counters().garbage_bytes, 4 * all.size());
}

}  // namespace
}  // namespace meterd::testing
