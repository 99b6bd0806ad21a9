// Synthetic SML files: TL forms, signs, scalers, units, times, escaping and transport faults.
#include <gtest/gtest.h>

#include <random>

#include "decoder_run.hpp"
#include "meterd/sml/sml_stream_decoder.hpp"
#include "sml_frame_builder.hpp"

namespace meterd::testing {
namespace {

using namespace sml_build;
using sml::SmlDecoderConfig;
using sml::SmlStreamDecoder;

const Bytes kServerId = octets({0x0A, 0x01, 'T', 'S', 'T', 0x00, 0x01, 0x02, 0x03, 0x04});

Bytes typical_file(std::int64_t power = -10550, const Bytes& extra_value = {}) {
  std::vector<Bytes> entries = {
      entry(obis(1, 0, 96, 50, 1, 1), absent(), absent(), text("TST")),
      entry(obis(1, 0, 1, 8, 0), u8(30), integer_n(-1, 1), unsigned_n(123456789, 5)),
      entry(obis(1, 0, 16, 7, 0), u8(27), integer_n(-2, 1), integer_n(power, 4)),
      entry(obis(1, 0, 32, 7, 0), u8(35), integer_n(-1, 1), unsigned_n(2301, 3)),
  };
  if (!extra_value.empty()) entries.push_back(extra_value);
  return transport(concat({open_response(kServerId), get_list_response(kServerId, entries), close_response()}));
}

DecoderRun decode(const Bytes& bytes, SmlDecoderConfig config = {}) {
  SmlStreamDecoder d(std::move(config));
  return run_decoder(d, bytes);
}

const DecodedValue& value(const DecodedMessage& m, const std::string& obis) {
  for (const auto& v : m.values)
    if (v.obis == obis) return v;
  throw std::runtime_error("no value " + obis);
}

TEST(SmlStream, TypicalFileDecodes) {
  const auto run = decode(typical_file());
  ASSERT_EQ(run.messages.size(), 1u) << run.transcript();
  const auto& m = run.messages[0];
  EXPECT_EQ(m.meter_id, "0A01545354000102030" "4");
  EXPECT_FALSE(m.time.has_value());
  EXPECT_EQ(std::get<std::string>(value(m, "1-0:96.50.1").value), "TST");
  EXPECT_EQ(value(m, "1-0:96.50.1").quantity, "manufacturer");
  EXPECT_NEAR(std::get<double>(value(m, "1-0:1.8.0").value), 12345678.9, 1e-6);
  EXPECT_EQ(value(m, "1-0:1.8.0").unit, "Wh");
  EXPECT_EQ(value(m, "1-0:1.8.0").quantity, "active_energy_import");
  EXPECT_NEAR(std::get<double>(value(m, "1-0:16.7.0").value), -105.50, 1e-9);
  EXPECT_EQ(value(m, "1-0:16.7.0").raw, -10550);
  EXPECT_EQ(value(m, "1-0:16.7.0").scaler, -2);
  EXPECT_NEAR(std::get<double>(value(m, "1-0:32.7.0").value), 230.1, 1e-9);  // 3-byte unsigned
  EXPECT_EQ(value(m, "1-0:32.7.0").unit, "V");
  EXPECT_TRUE(run.diagnostics.empty()) << run.transcript();
}

TEST(SmlStream, GenuineNegativePowerStaysNegativeByDefault) {
  const auto run = decode(typical_file(-10550));
  EXPECT_LT(std::get<double>(value(run.messages.at(0), "1-0:16.7.0").value), 0);
}

TEST(SmlStream, EscapedSequenceInsidePayload) {
  const Bytes escaped_value = entry(obis(1, 0, 96, 1, 0), absent(), absent(),
                                    octets({0x1B, 0x1B, 0x1B, 0x1B, 0x1B, 0x1B, 0x1B, 0x1B, 0x1B, 0x1B, 0x1B}));
  for (int shift = 0; shift < 4; ++shift) {
    // Shift the octet string so that a 1B1B1B1B block lands on every alignment.
    std::vector<Bytes> entries = {entry(obis(1, 0, 96, 50, 1, 1), absent(), absent(), text(std::string(1 + shift, 'x'))),
                                  escaped_value};
    const auto bytes = transport(concat({get_list_response(kServerId, entries)}));
    const auto run = decode(bytes);
    ASSERT_EQ(run.messages.size(), 1u) << run.transcript();
    EXPECT_EQ(std::get<std::string>(value(run.messages[0], "1-0:96.1.0").value), "1B1B1B1B1B1B1B1B1B1B1B");
  }
}

TEST(SmlStream, MultiByteTypeLengthFields) {
  std::vector<Bytes> entries;
  for (int i = 1; i <= 17; ++i) entries.push_back(entry(obis(1, 0, 1, 8, i), u8(30), integer_n(0, 1), unsigned_n(i, 2)));
  entries.push_back(entry(obis(0, 0, 96, 1, 255), absent(), absent(), text("a text longer than fifteen bytes")));
  const auto run = decode(transport(get_list_response(kServerId, entries)));
  ASSERT_EQ(run.messages.size(), 1u) << run.transcript();
  EXPECT_EQ(run.messages[0].values.size(), 18u);
  EXPECT_EQ(std::get<double>(value(run.messages[0], "1-0:1.8.17").value), 17);
  EXPECT_EQ(std::get<std::string>(value(run.messages[0], "0-0:96.1.255").value), "a text longer than fifteen bytes");
}

TEST(SmlStream, SixtyFourBitValues) {
  const auto run = decode(typical_file(0, entry(obis(1, 0, 2, 8, 0), u8(30), integer_n(-1, 1), unsigned_n(0xFFFFFFFFFFFFFFFFull, 8))));
  const auto& v = value(run.messages.at(0), "1-0:2.8.0");
  EXPECT_FALSE(v.raw.has_value());  // does not fit int64: no raw, value still exact to double precision
  EXPECT_NEAR(std::get<double>(v.value), 1.8446744073709552e18, 1e4);
}

TEST(SmlStream, UtcTimestampGetsZoneOffset) {
  const Bytes time = list({u8(2), unsigned_n(1689415200, 4)});  // 2023-07-15T10:00:00Z
  const auto run = decode(transport(get_list_response(kServerId, {entry(obis(1, 0, 1, 8, 0), u8(30), integer_n(0, 1), unsigned_n(5, 4), time)}, time)));
  const auto& m = run.messages.at(0);
  ASSERT_TRUE(m.time.has_value());
  EXPECT_EQ(format_meter_time(*m.time), "2023-07-15T12:00:00+02:00");
  ASSERT_TRUE(value(m, "1-0:1.8.0").time.has_value());
}

TEST(SmlStream, LocalTimestampUsesStatedOffset) {
  const Bytes time = list({u8(3), list({unsigned_n(1689415200, 4), integer_n(60, 2), integer_n(60, 2)})});
  const auto run = decode(transport(get_list_response(kServerId, {}, time)));
  ASSERT_TRUE(run.messages.at(0).time.has_value());
  EXPECT_EQ(format_meter_time(*run.messages[0].time), "2023-07-15T12:00:00+02:00");
  EXPECT_TRUE(run.messages[0].time->offset_stated_by_meter);
}

TEST(SmlStream, SecondsIndexIsNoClockTime) {
  const Bytes sec_index = list({u8(1), unsigned_n(99043543, 4)});
  const auto run = decode(transport(get_list_response(kServerId, {}, sec_index)));
  EXPECT_FALSE(run.messages.at(0).time.has_value());
}

TEST(SmlStream, BadTransportCrcDropsFrame) {
  SmlStreamDecoder d;
  Bytes bytes = typical_file();
  bytes = transport(concat({get_list_response(kServerId, {})}), {.wrong_crc = true});
  const auto run = run_decoder(d, bytes);
  EXPECT_TRUE(run.messages.empty());
  EXPECT_TRUE(run.has_diagnostic("crc_error"));
  EXPECT_EQ(d.counters().frames_bad, 1u);
}

TEST(SmlStream, BadMessageCrcIsWarnedButValuesKept) {
  const Bytes msg = message(0x0701, list({absent(), kServerId, absent(), absent(),
                                          list({entry(obis(1, 0, 1, 8, 0), u8(30), integer_n(0, 1), unsigned_n(7, 2))}),
                                          absent(), absent()}),
                            2, true);
  const auto run = decode(transport(msg));
  ASSERT_EQ(run.messages.size(), 1u);
  EXPECT_TRUE(run.has_diagnostic("message_crc_error"));
}

TEST(SmlStream, CutFrameThenCompleteOne) {
  const Bytes full = typical_file();
  const Bytes cut(full.begin(), full.begin() + 40);  // 4-byte aligned: the next start is seen as an escape
  SmlStreamDecoder d;
  const auto run = run_decoder(d, concat({cut, full}));
  ASSERT_EQ(run.messages.size(), 1u) << run.transcript();
  EXPECT_TRUE(run.has_diagnostic("truncated"));
}

TEST(SmlStream, UnalignedCutIsCaughtAndReaderRecovers) {
  const Bytes full = typical_file();
  const Bytes cut(full.begin(), full.begin() + 41);
  SmlStreamDecoder d;
  const auto run = run_decoder(d, concat({cut, full, full}));
  EXPECT_GE(run.messages.size(), 1u) << run.transcript();
  EXPECT_GE(d.counters().frames_bad, 1u);
}

TEST(SmlStream, EndOfInputInsideFrame) {
  const Bytes full = typical_file();
  const auto run = decode(Bytes(full.begin(), full.begin() + 30));
  EXPECT_TRUE(run.messages.empty());
  EXPECT_TRUE(run.has_diagnostic("truncated"));
}

TEST(SmlStream, OversizeFrameIsDropped) {
  SmlDecoderConfig c;
  c.max_frame_bytes = 64;
  SmlStreamDecoder d(c);
  const auto run = run_decoder(d, concat({typical_file(), transport(get_list_response(kServerId, {}))}));
  EXPECT_TRUE(run.has_diagnostic("oversize"));
  EXPECT_EQ(run.messages.size(), 1u) << run.transcript();  // the small one after it
}

TEST(SmlStream, MalformedMessageIsAParseError) {
  const Bytes junk_payload = {0x76, 0x05, 0x01, 0x02, 0x03, 0x04, 0x62, 0x00, 0x62, 0x00, 0x72, 0x63, 0x07, 0x01, 0x7F};
  const auto run = decode(transport(junk_payload));
  EXPECT_TRUE(run.messages.empty());
  EXPECT_TRUE(run.has_diagnostic("parse_error")) << run.transcript();
}

TEST(SmlStream, NoiseReportsSerialSettingsOnce) {
  SmlDecoderConfig c;
  c.no_frame_report_bytes = 1000;
  SmlStreamDecoder d(c);
  std::mt19937 rng(3);
  Bytes noise(5000);
  for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
  const auto run = run_decoder(d, noise, 61);
  ASSERT_EQ(run.count("no_frame"), 1u) << run.transcript();
  EXPECT_NE(run.transcript().find("9600 8N1"), std::string::npos);
  EXPECT_EQ(d.counters().garbage_bytes, noise.size());
}

TEST(SmlStream, RandomStreamsAreChunkingInvariant) {
  std::mt19937 rng(11);
  Bytes stream;
  for (int i = 0; i < 10; ++i) {
    const Bytes f = typical_file(static_cast<std::int64_t>(rng() % 20000) - 10000);
    switch (rng() % 4) {
      case 0: stream = concat({stream, f}); break;
      case 1: stream = concat({stream, Bytes(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(rng() % f.size()))}); break;
      case 2: {
        Bytes broken = f;
        broken[rng() % broken.size()] ^= 0x55;
        stream = concat({stream, broken});
        break;
      }
      default:
        for (int k = 0; k < 20; ++k) stream.push_back(static_cast<std::uint8_t>(rng() % 3 == 0 ? 0x1B : rng()));
    }
  }
  SmlStreamDecoder whole;
  const std::string reference = run_decoder(whole, stream).transcript();
  for (std::size_t chunk : {1u, 2u, 3u, 4u, 7u, 100u}) {
    SmlStreamDecoder d;
    EXPECT_EQ(run_decoder(d, stream, chunk).transcript(), reference) << "chunk " << chunk;
  }
}

TEST(SmlStream, LooksLike) {
  EXPECT_TRUE(SmlStreamDecoder::looks_like(typical_file()));
  const std::string dsmr = "/ISk5\\2MT382-1000\r\n";
  EXPECT_FALSE(SmlStreamDecoder::looks_like(Bytes(dsmr.begin(), dsmr.end())));
}

}  // namespace
}  // namespace meterd::testing
