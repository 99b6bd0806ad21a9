#include "meterd/hex.hpp"

#include <gtest/gtest.h>

TEST(Hex, RoundTripIgnoresWhitespaceAndCase) {
  auto b = meterd::from_hex("7e a0\n8Bce ff");
  ASSERT_EQ(b.size(), 5u);
  EXPECT_EQ(meterd::to_hex(b), "7EA08BCEFF");
  EXPECT_EQ(meterd::to_hex(b, 2), "7EA0...");
}

TEST(Hex, RejectsOddLengthAndNonHex) {
  EXPECT_THROW(meterd::from_hex("7EA"), std::invalid_argument);
  EXPECT_THROW(meterd::from_hex("7G"), std::invalid_argument);
}
