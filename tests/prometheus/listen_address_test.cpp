// The `listen` option.
#include <gtest/gtest.h>

#include "listen_address.hpp"

using meterd::prometheus::parse_listen_address;

TEST(ListenAddress, HostAndPort) {
  const auto a = parse_listen_address("0.0.0.0:9464");
  EXPECT_EQ(a.host, "0.0.0.0");
  EXPECT_EQ(a.port, 9464);
  EXPECT_EQ(parse_listen_address("127.0.0.1:0").port, 0);
}

TEST(ListenAddress, BracketedIpv6) {
  const auto a = parse_listen_address("[::1]:9100");
  EXPECT_EQ(a.host, "::1");
  EXPECT_EQ(a.port, 9100);
}

TEST(ListenAddress, RejectsWhatCannotBeBound) {
  for (const char* bad : {"", "9464", "host", "host:", ":9464", "host:65536", "host:12x", "::1:9464", "[::1]9464",
                          "[::1]", "host:-1"}) {
    EXPECT_THROW(parse_listen_address(bad), std::invalid_argument) << bad;
  }
}
