// Hex pasted from logs and dump tools, one test per form a user brings. The same 24 bytes (the
// start of an L+G E450 HDLC frame with GBT) in each tool's own layout.
#include "meterd/hex_log.hpp"

#include <gtest/gtest.h>

#include "meterd/hex.hpp"

namespace {

const std::string kExpected = "7EA084CEFF0313128BE6E700E04000010000700F00025E6C";

std::string hex_of(std::string_view text) { return meterd::to_hex(meterd::hex_from_log(text)); }

std::string streamed_in_pieces(std::string_view text, std::size_t piece) {
  meterd::HexLogReader reader;
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < text.size(); i += piece) {
    const auto part = text.substr(i, piece);
    reader.feed(std::span(reinterpret_cast<const std::uint8_t*>(part.data()), part.size()), out);
  }
  reader.finish(out);
  return meterd::to_hex(out);
}

TEST(HexLog, PlainStringAndSpaces) {
  EXPECT_EQ(hex_of("7EA084CEFF0313128BE6E700E04000010000700F00025E6C"), kExpected);
  EXPECT_EQ(hex_of("7e a0 84 ce ff 03 13 12 8b e6 e7 00 e0 40 00 01 00 00 70 0f 00 02 5e 6c"), kExpected);
  EXPECT_EQ(hex_of("7EA0 84CE FF03 1312 8BE6 E700 E040 0001 0000 700F 0002 5E6C"), kExpected);
}

TEST(HexLog, LineBreaksAlsoInsideAByte) {
  EXPECT_EQ(hex_of("7EA084CEFF0313128BE6E700E\r\n04000010000700F00025E6C\r\n"), kExpected);
  EXPECT_EQ(hex_of("7E A0 84 CE FF 03 13 12\n8B E6 E7 00 E0 40 00 01\n\n00 00 70 0F 00 02 5E 6C"), kExpected);
}

TEST(HexLog, ZeroXPrefixes) {
  EXPECT_EQ(hex_of("0x7E 0xA0 0x84 0xCE 0xFF 0x03 0x13 0x12 0x8B 0xE6 0xE7 0x00\n"
                   "0xE0 0x40 0x00 0x01 0x00 0x00 0x70 0x0F 0x00 0x02 0x5E 0x6C"),
            kExpected);
  EXPECT_EQ(hex_of("uint8_t frame[] = {0x7E, 0xA0, 0x84, 0xCE, 0xFF, 0x03, 0x13, 0x12, 0x8B, 0xE6, 0xE7, 0x00,\n"
                   "  0xE0, 0x40, 0x00, 0x01, 0x00, 0x00, 0x70, 0x0F, 0x00, 0x02, 0x5E, 0x6C};"),
            kExpected);
}

TEST(HexLog, ColonAndDashSeparators) {
  EXPECT_EQ(hex_of("7E:A0:84:CE:FF:03:13:12:8B:E6:E7:00:E0:40:00:01:00:00:70:0F:00:02:5E:6C"), kExpected);
  EXPECT_EQ(hex_of("7E-A0-84-CE-FF-03-13-12-8B-E6-E7-00-E0-40-00-01-00-00-70-0F-00-02-5E-6C"), kExpected);
}

TEST(HexLog, AmsReaderDebugLog) {
  // Telnet/serial debug of the AMS reader firmware: a message line, then the frame as hex rows.
  EXPECT_EQ(hex_of("[DEBUG] HDLC frame received (24 bytes):\n"
                   "7E A0 84 CE FF 03 13 12 8B E6 E7 00 E0 40 00 01 \n"
                   "00 00 70 0F 00 02 5E 6C \n"
                   "[INFO] Frame decoded"),
            kExpected);
}

TEST(HexLog, EspHomeUartDebugLog) {
  EXPECT_EQ(hex_of("[10:42:17][D][uart_debug:114]: <<< 7E:A0:84:CE:FF:03:13:12:8B:E6:E7:00:E0:40:00:01:00:00:70:0F:00:02:5E:6C"),
            kExpected);
  EXPECT_EQ(hex_of("[10:42:17][D][dlms_meter:301]: Received 24 bytes\n"
                   "[10:42:17][D][dlms_meter:305]: 7E A0 84 CE FF 03 13 12 8B E6 E7 00 E0 40 00 01 00 00 70 0F 00 02 5E 6C"),
            kExpected);
}

TEST(HexLog, GuruxTrace) {
  EXPECT_EQ(hex_of("RX:\t10:42:17\t7E A0 84 CE FF 03 13 12 8B E6 E7 00 E0 40 00 01 00 00 70 0F 00 02 5E 6C"),
            kExpected);
  EXPECT_EQ(hex_of("10:42:17.123 <- 7E A0 84 CE FF 03 13 12 8B E6 E7 00\n"
                   "10:42:17.140 <- E0 40 00 01 00 00 70 0F 00 02 5E 6C"),
            kExpected);
}

TEST(HexLog, XxdDump) {
  EXPECT_EQ(hex_of("00000000: 7ea0 84ce ff03 1312 8be6 e700 e040 0001  ~.............@..\n"
                   "00000010: 0000 700f 0002 5e6c                      ..p...^l\n"),
            kExpected);
}

TEST(HexLog, HexdumpCanonical) {
  EXPECT_EQ(hex_of("00000000  7e a0 84 ce ff 03 13 12  8b e6 e7 00 e0 40 00 01  |~............@..|\n"
                   "00000010  00 00 70 0f 00 02 5e 6c                           |..p...^l|\n"
                   "00000018\n"),
            kExpected);
}

TEST(HexLog, AnyChunkingGivesTheSameBytes) {
  const std::string text = "00000000: 7ea0 84ce ff03 1312 8be6 e700 e040 0001  ~.............@..\n"
                           "00000010: 0000 700f 0002 5e6c                      ..p...^l\n";
  for (std::size_t piece : {1u, 2u, 3u, 7u, 64u}) EXPECT_EQ(streamed_in_pieces(text, piece), kExpected) << piece;
}

TEST(HexLog, LinesWithoutHexAreCountedNotGuessed) {
  meterd::HexLogReader reader;
  std::vector<std::uint8_t> out;
  const std::string text = "meter says hello\n7E A0 07\nno frame here: timeout\n";
  reader.feed(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), out);
  reader.finish(out);
  EXPECT_EQ(meterd::to_hex(out), "7EA007");
  EXPECT_EQ(reader.lines_without_hex(), 2u);
  EXPECT_EQ(reader.lines_with_hex(), 1u);
  EXPECT_FALSE(reader.dangling_digit());
}

TEST(HexLog, HexTextIsToldFromBinaryAndTelegrams) {
  auto bytes = [](std::string_view s) { return std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); };
  EXPECT_TRUE(meterd::looks_like_hex_text(bytes("7E A0 84 CE FF 03 13 12 8B E6 E7 00\n")));
  EXPECT_TRUE(meterd::looks_like_hex_text(bytes("[10:42:17][D][uart_debug:114]: <<< 7E:A0:84:CE:FF:03:13:12:8B")));
  const std::uint8_t binary[] = {0x7E, 0xA0, 0x84, 0xCE, 0xFF, 0x03, 0x13, 0x12, 0x8B, 0xE6};
  EXPECT_FALSE(meterd::looks_like_hex_text(binary));
  EXPECT_FALSE(meterd::looks_like_hex_text(bytes("/KFM5KAIFA-METER\r\n\r\n1-3:0.2.8(42)\r\n0-0:1.0.0(161113205757W)\r\n"
                                                 "1-0:1.8.1(001581.123*kWh)\r\n")));
}

}  // namespace
