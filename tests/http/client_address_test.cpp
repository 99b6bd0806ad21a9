#include "meterd/http/client_address.hpp"

#include <gtest/gtest.h>

using meterd::http::TrustedProxies;

TEST(TrustedProxies, MatchAddressesAndNetworksOfBothFamilies) {
  const auto p = TrustedProxies::parse(" 127.0.0.1, 10.0.0.0/8 , fd00::/8,::1");
  EXPECT_TRUE(p.contains("127.0.0.1"));
  EXPECT_FALSE(p.contains("127.0.0.2"));
  EXPECT_TRUE(p.contains("10.200.3.4"));
  EXPECT_FALSE(p.contains("11.0.0.1"));
  EXPECT_TRUE(p.contains("fd12::1"));
  EXPECT_TRUE(p.contains("::1"));
  EXPECT_TRUE(p.contains("::ffff:10.1.1.1"));  // IPv4-mapped is the IPv4 address
  EXPECT_FALSE(p.contains("fe80::1"));
  EXPECT_FALSE(p.contains("not an address"));
  EXPECT_TRUE(TrustedProxies::parse("").empty());
  for (const char* bad : {"localhost", "10.0.0.0/33", "1.2.3", "::1/129", "10.0.0.0/"})
    EXPECT_THROW(TrustedProxies::parse(bad), std::invalid_argument) << bad;
}

TEST(TrustedProxies, ForwardedForIsBelievedOnlyFromAProxyAndOnlyRightOfTheProxies) {
  const auto p = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8");
  // From anyone else the header is ignored.
  EXPECT_EQ(p.client_of("203.0.113.9", "198.51.100.1"), "203.0.113.9");
  // From the proxy: the right-most entry that is no proxy; what the client wrote left of it is not believed.
  EXPECT_EQ(p.client_of("127.0.0.1", "1.1.1.1, 198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(p.client_of("127.0.0.1", "1.1.1.1, 198.51.100.7, 10.0.0.5"), "198.51.100.7");
  EXPECT_EQ(p.client_of("127.0.0.1", std::nullopt), "127.0.0.1");
  EXPECT_EQ(p.client_of("127.0.0.1", "garbage"), "127.0.0.1");
  EXPECT_EQ(p.client_of("127.0.0.1", "10.0.0.1, 10.0.0.2"), "127.0.0.1");
  EXPECT_EQ(TrustedProxies().client_of("127.0.0.1", "198.51.100.7"), "127.0.0.1");
}
