#include "point_codec.hpp"

#include <gtest/gtest.h>

#include <random>

#include "bucket_codec.hpp"

using namespace meterd::dashboard;

TEST(PointCodec, RoundTripsIrregularTimesAndMixedDecimals) {
  std::vector<Point> pts{{1000, 1.5}, {6000, -2.25}, {11000, 0}, {11001, 123456.789}, {20000, 1e-6}, {86400000, 42}};
  EXPECT_EQ(decode_points(encode_points(pts)).size(), pts.size());
  auto back = decode_points(encode_points(pts));
  for (std::size_t i = 0; i < pts.size(); ++i) {
    EXPECT_EQ(back[i].t_ms, pts[i].t_ms);
    EXPECT_DOUBLE_EQ(back[i].value, pts[i].value);
  }
  std::vector<Point> huge{{0, 1e300}, {5, -3.7e200}};
  auto b2 = decode_points(encode_points(huge));
  EXPECT_DOUBLE_EQ(b2[0].value, 1e300);
  EXPECT_DOUBLE_EQ(b2[1].value, -3.7e200);
  EXPECT_TRUE(decode_points(encode_points({})).empty());
}

TEST(PointCodec, KeepsEveryWhOfALargeKwhRegister) {
  // Eight significant digits: whole Wh of a register near 100 000 kWh.
  const std::vector<Point> pts{{0, 98851.058}, {1000, 98851.059}, {2000, 12345678.901}};
  const auto back = decode_points(encode_points(pts));
  for (std::size_t i = 0; i < pts.size(); ++i) EXPECT_DOUBLE_EQ(back[i].value, pts[i].value) << i;
}

TEST(PointCodec, DamagedBlobThrows) {
  auto blob = encode_points({{1, 1}, {2, 2}});
  blob[blob.size() / 2] ^= 0x5a;
  EXPECT_THROW(decode_points(blob.substr(0, blob.size() - 2)), std::runtime_error);
}

TEST(PointCodec, FiveSecondPowerCostsAtMostTwoBytesPerValue) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 15);
  std::vector<Point> pts;
  double w = 800;
  for (int i = 0; i < 720; ++i) {
    w = std::max(50.0, w + noise(rng));
    pts.push_back({1'600'000'000'000 + i * 5000LL, std::round(w)});
  }
  const auto blob = encode_points(pts);
  EXPECT_LE(static_cast<double>(blob.size()) / 720.0, 2.0) << blob.size();
}

TEST(BucketCodec, RoundTrip) {
  std::vector<Bucket> in(3);
  for (int i = 0; i < 3; ++i) {
    auto& b = in[static_cast<std::size_t>(i)];
    b.start_ms = 60000LL * i;
    b.count = 12;
    b.min = 1.5 + i;
    b.max = 9.25;
    b.sum = 60.5;
    b.first = 2;
    b.last = 3.5;
    b.first_ms = b.start_ms + 10;
    b.last_ms = b.start_ms + 55000;
    b.energy_wh = 12.345;
    b.covered_ms = 55000 - i;
  }
  auto out = decode_buckets(encode_buckets(in));
  ASSERT_EQ(out.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(out[i].start_ms, in[i].start_ms);
    EXPECT_EQ(out[i].count, 12u);
    EXPECT_DOUBLE_EQ(out[i].min, in[i].min);
    EXPECT_DOUBLE_EQ(out[i].sum, 60.5);
    EXPECT_EQ(out[i].last_ms, in[i].last_ms);
    EXPECT_NEAR(out[i].energy_wh, 12.345, 1e-9);
    EXPECT_EQ(out[i].covered_ms, in[i].covered_ms);
  }
}

TEST(BucketCodec, DecodeIntoAppendsAndLeavesNothingOfADamagedBlob) {
  std::vector<Bucket> hour(60), next(60);
  for (std::size_t i = 0; i < 60; ++i) {
    hour[i].start_ms = 60000LL * static_cast<std::int64_t>(i);
    next[i].start_ms = hour[i].start_ms + 3'600'000;
    hour[i].count = next[i].count = 12;
    hour[i].sum = static_cast<double>(i);
    next[i].sum = static_cast<double>(i) + 0.5;
    hour[i].first_ms = hour[i].last_ms = hour[i].start_ms;
    next[i].first_ms = next[i].last_ms = next[i].start_ms;
  }
  std::vector<Bucket> out;
  decode_buckets_into(encode_buckets(hour), out);
  decode_buckets_into(encode_buckets(next), out);
  ASSERT_EQ(out.size(), 120u);
  for (std::size_t i = 0; i < 60; ++i) {
    EXPECT_EQ(out[i].start_ms, hour[i].start_ms);
    EXPECT_EQ(out[60 + i].start_ms, next[i].start_ms);
    EXPECT_DOUBLE_EQ(out[60 + i].sum, next[i].sum);
  }
  // A blob that inflates but ends inside its columns.
  const auto whole = encode_buckets(hour);
  const auto truncated = deflate_bytes(inflate_bytes(whole).substr(0, 40));
  EXPECT_THROW(decode_buckets_into(truncated, out), std::runtime_error);
  EXPECT_EQ(out.size(), 120u);
}
