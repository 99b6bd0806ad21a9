#include "meterd/crc16.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace {
std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
}  // namespace

// Catalogued check values for the input "123456789".
TEST(Crc16, X25CheckValue) { EXPECT_EQ(meterd::crc16_x25(bytes("123456789")), 0x906E); }
TEST(Crc16, ArcCheckValue) { EXPECT_EQ(meterd::crc16_arc(bytes("123456789")), 0xBB3D); }
TEST(Crc16, EmptyInput) {
  EXPECT_EQ(meterd::crc16_x25({}), 0x0000);
  EXPECT_EQ(meterd::crc16_arc({}), 0x0000);
}
