// Telegram content: line forms, units, ids, timestamps and zones, M-Bus channels, logs.
#include <gtest/gtest.h>

#include "decoder_run.hpp"
#include "dsmr_telegram_builder.hpp"
#include "meterd/dsmr/dsmr_stream_decoder.hpp"
#include "protocol_vectors.hpp"

namespace meterd::testing {
namespace {

using dsmr::DsmrDecoderConfig;
using dsmr::DsmrStreamDecoder;
using Crc = DsmrTelegramBuilder::Crc;

DecoderRun decode(const std::string& telegram, DsmrDecoderConfig config = {}) {
  DsmrStreamDecoder d(std::move(config));
  return run_decoder(d, bytes_of(telegram));
}

std::vector<const DecodedValue*> values_of(const DecodedMessage& m, const std::string& obis) {
  std::vector<const DecodedValue*> out;
  for (const auto& v : m.values)
    if (v.obis == obis) out.push_back(&v);
  return out;
}

double number(const DecodedValue* v) { return std::get<double>(v->value); }

TEST(DsmrTelegram, UnparsableLineGivesDiagnosticNotZero) {
  const auto run = decode(DsmrTelegramBuilder()
                              .line("1-0:1.8.1(00x004.426*kWh)")
                              .line("1-0:1.8.2(000002.399*kWh)")
                              .line("garbage line")
                              .build());
  ASSERT_EQ(run.messages.size(), 1u);
  EXPECT_TRUE(values_of(run.messages[0], "1-0:1.8.1").empty());
  EXPECT_EQ(values_of(run.messages[0], "1-0:1.8.2").size(), 1u);
  EXPECT_EQ(run.count("bad_line"), 2u) << run.transcript();
}

TEST(DsmrTelegram, UnitsAndValuesAsSent) {
  const auto run = decode(DsmrTelegramBuilder()
                              .line("1-0:1.8.0(006545766*Wh)")
                              .line("1-0:3.8.0(000000.123*kvarh)")
                              .line("1-0:14.7.0(50.00*Hz)")
                              .line("1-0:13.7.0(0.998)")
                              .build());
  ASSERT_EQ(run.messages.size(), 1u);
  const auto& m = run.messages[0];
  EXPECT_EQ(number(values_of(m, "1-0:1.8.0")[0]), 6545766.0);
  EXPECT_EQ(values_of(m, "1-0:1.8.0")[0]->unit, "Wh");
  EXPECT_EQ(values_of(m, "1-0:1.8.0")[0]->quantity, "active_energy_import");
  EXPECT_EQ(values_of(m, "1-0:3.8.0")[0]->unit, "kvarh");
  EXPECT_DOUBLE_EQ(number(values_of(m, "1-0:13.7.0")[0]), 0.998);
  EXPECT_EQ(values_of(m, "1-0:13.7.0")[0]->unit, "");
  EXPECT_EQ(values_of(m, "1-0:14.7.0")[0]->quantity, "frequency");
}

TEST(DsmrTelegram, TariffAndIdsStayText) {
  const auto run = decode(sample_dsmr5_telegram());
  const auto& m = run.messages.at(0);
  EXPECT_EQ(std::get<std::string>(values_of(m, "0-0:96.14.0")[0]->value), "0002");
  EXPECT_EQ(values_of(m, "0-0:96.14.0")[0]->quantity, "tariff");
  EXPECT_EQ(m.meter_id, "4B384547303034303436333935353037");
}

TEST(DsmrTelegram, HexIdsDecodedWhenConfigured) {
  DsmrDecoderConfig c;
  c.hex_decode_ids = true;
  const auto run = decode(sample_dsmr5_telegram(), c);
  const auto& m = run.messages.at(0);
  EXPECT_EQ(m.meter_id, "K8EG004046395507");
  EXPECT_EQ(std::get<std::string>(values_of(m, "0-1:96.1.0")[0]->value), "2222ABCD123456789");
}

TEST(DsmrTelegram, TextMessageIsHexDecoded) {
  const auto run = decode(DsmrTelegramBuilder().line("0-0:96.13.0(48656C6C6F2C206D65746572)").line("0-0:96.13.1()").build());
  const auto& m = run.messages.at(0);
  ASSERT_EQ(values_of(m, "0-0:96.13.0").size(), 1u);
  EXPECT_EQ(std::get<std::string>(values_of(m, "0-0:96.13.0")[0]->value), "Hello, meter");
  EXPECT_TRUE(values_of(m, "0-0:96.13.1").empty());  // empty group: no value, not ""
}

TEST(DsmrTelegram, TimestampOffsetFollowsZoneAndFlag) {
  const auto winter = decode(sample_dsmr5_telegram("230115120000W")).messages.at(0).time.value();
  EXPECT_EQ(winter.utc_offset_minutes, 60);
  EXPECT_FALSE(winter.offset_stated_by_meter);
  const auto summer = decode(sample_dsmr5_telegram("230715120000S")).messages.at(0).time.value();
  EXPECT_EQ(summer.utc_offset_minutes, 120);
  EXPECT_EQ(format_meter_time(summer), "2023-07-15T12:00:00+02:00");
  // The repeated autumn hour: the flag picks the instant.
  EXPECT_EQ(decode(sample_dsmr5_telegram("231029023000S")).messages.at(0).time->utc_offset_minutes, 120);
  EXPECT_EQ(decode(sample_dsmr5_telegram("231029023000W")).messages.at(0).time->utc_offset_minutes, 60);
  DsmrDecoderConfig helsinki;
  helsinki.time_zone = "Europe/Helsinki";
  EXPECT_EQ(decode(sample_dsmr5_telegram("230115120000W"), helsinki).messages.at(0).time->utc_offset_minutes, 120);
}

TEST(DsmrTelegram, NonexistentLocalTimeHasNoOffset) {
  const auto t = decode(sample_dsmr5_telegram("230326023000S")).messages.at(0).time.value();
  EXPECT_EQ(t.hour, 2);
  EXPECT_FALSE(t.utc_offset_minutes.has_value());
}

TEST(DsmrTelegram, BadTimestampIsADiagnostic) {
  const auto run = decode(sample_dsmr5_telegram("231345120000W"));
  EXPECT_FALSE(run.messages.at(0).time.has_value());
  EXPECT_TRUE(run.has_diagnostic("bad_line"));
}

TEST(DsmrTelegram, MbusReadingHasOwnTimeAndQuantity) {
  const auto run = decode(sample_dsmr5_telegram());
  const auto gas = values_of(run.messages.at(0), "0-1:24.2.1");
  ASSERT_EQ(gas.size(), 1u);
  EXPECT_DOUBLE_EQ(number(gas[0]), 42.107);
  EXPECT_EQ(gas[0]->unit, "m3");
  EXPECT_EQ(gas[0]->quantity, "gas_volume");
  ASSERT_TRUE(gas[0]->time.has_value());
  EXPECT_EQ(wall_clock(*gas[0]->time), "2023-03-15T11:55:00");
}

TEST(DsmrTelegram, WaterChannelIsNamedByDeviceType) {
  const auto run = decode(DsmrTelegramBuilder("FLU5\\253769484_A")
                              .line("0-2:24.1.0(007)")
                              .line("0-2:24.2.1(200512134558S)(00872.234*m3)")
                              .build());
  EXPECT_EQ(values_of(run.messages.at(0), "0-2:24.2.1").at(0)->quantity, "water_volume");
}

TEST(DsmrTelegram, PlaceholderReadingIsNotAValue) {
  const auto run = decode(DsmrTelegramBuilder()
                              .line("0-2:24.1.0(003)")
                              .line("0-2:24.2.1(632525252525S)(00000.000)")
                              .build());
  EXPECT_TRUE(values_of(run.messages.at(0), "0-2:24.2.1").empty());
  EXPECT_TRUE(run.has_diagnostic("placeholder_reading"));
}

TEST(DsmrTelegram, LegacyGasValueOnContinuationLine) {
  const auto run = decode(DsmrTelegramBuilder("ISk5\\2ME382-1003")
                              .line("0-0:96.1.1(4B414C37303035303739393336363132)")
                              .line("0-1:24.3.0(121030140000)(00)(60)(1)(0-1:24.2.1)(m3)")
                              .line("(00367.857)")
                              .build(Crc::absent));
  const auto gas = values_of(run.messages.at(0), "0-1:24.3.0");
  ASSERT_EQ(gas.size(), 1u) << run.transcript();
  EXPECT_DOUBLE_EQ(number(gas[0]), 367.857);
  EXPECT_EQ(gas[0]->unit, "m3");
  EXPECT_EQ(wall_clock(*gas[0]->time), "2012-10-30T14:00:00");
}

TEST(DsmrTelegram, PowerFailureLogEntries) {
  const auto run = decode(DsmrTelegramBuilder()
                              .line("1-0:99.97.0(2)(0-0:96.7.19)(101208152415W)(0000000240*s)(101208151004W)(0000000301*s)")
                              .build());
  const auto log = values_of(run.messages.at(0), "1-0:99.97.0");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(number(log[0]), 240);
  EXPECT_EQ(log[0]->unit, "s");
  EXPECT_EQ(log[0]->quantity, "power_failure_duration");
  EXPECT_EQ(wall_clock(*log[1]->time), "2010-12-08T15:10:04");
}

TEST(DsmrTelegram, PowerFailureLogWithWrongCountIsRejected) {
  const auto run = decode(DsmrTelegramBuilder().line("1-0:99.97.0(3)(0-0:96.7.19)(101208152415W)(0000000240*s)").build());
  EXPECT_TRUE(values_of(run.messages.at(0), "1-0:99.97.0").empty());
  EXPECT_TRUE(run.has_diagnostic("bad_line"));
}

TEST(DsmrTelegram, BelgianPeakHistory) {
  const auto run = decode(DsmrTelegramBuilder("FLU5\\253769484_A")
                              .line("1-0:1.6.0(200509134558S)(02.589*kW)")
                              .line("0-0:98.1.0(2)(1-0:1.6.0)(1-0:1.6.0)(200501000000S)(200423192538S)(03.695*kW)"
                                    "(200401000000S)(200305122139S)(05.980*kW)")
                              .build());
  const auto& m = run.messages.at(0);
  ASSERT_EQ(values_of(m, "1-0:1.6.0").size(), 1u);
  EXPECT_EQ(wall_clock(*values_of(m, "1-0:1.6.0")[0]->time), "2020-05-09T13:45:58");
  const auto history = values_of(m, "0-0:98.1.0");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_DOUBLE_EQ(number(history[1]), 5.98);
  EXPECT_EQ(wall_clock(*history[1]->time), "2020-03-05T12:21:39");
}

TEST(DsmrTelegram, ShortObisFormsAndFGroup) {
  const auto run = decode(DsmrTelegramBuilder("LGF5E360").line("1.8.0(001234.5*kWh)").line("1-0:2.8.0*255(1.5*kWh)").build());
  const auto& m = run.messages.at(0);
  EXPECT_EQ(values_of(m, "1.8.0").size(), 1u);
  EXPECT_EQ(values_of(m, "1-0:2.8.0").size(), 1u);
}

TEST(DsmrTelegram, CrcCoversLineEndsAsReceived) {
  // Same telegram with LF line ends but the CRC of the CR LF version: must be rejected.
  const std::string crlf = DsmrTelegramBuilder().line("1-0:1.8.1(000004.426*kWh)").build();
  std::string lf = crlf;
  std::erase(lf, '\r');
  EXPECT_TRUE(decode(lf).has_diagnostic("crc_error"));
  EXPECT_EQ(decode(DsmrTelegramBuilder().line_ending("\n").line("1-0:1.8.1(000004.426*kWh)").build()).messages.size(), 1u);
}

}  // namespace
}  // namespace meterd::testing
