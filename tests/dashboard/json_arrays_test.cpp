// The numbers of the dashboard's bulk answers: written fast, but read back as what was meant.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "json_arrays.hpp"

namespace meterd::dashboard {
namespace {

std::string text_of(double v) {
  std::string out;
  append_number(out, v);
  return out;
}

std::string thousandths_of(double v) {
  std::string out;
  append_rounded(out, v, 3);
  return out;
}

std::string shortest(double v) {
  char buffer[32];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, v).ptr);
}

TEST(JsonNumbers, WholeNumbersAreWrittenAsTheShortestTextWritesThem) {
  for (const double v : {0.0, 1.0, -1.0, 1523.0, -230.0, 4294967296.0, 1703199600000.0, 9007199254740991.0, -9007199254740991.0})
    EXPECT_EQ(text_of(v), shortest(v)) << v;
  EXPECT_EQ(text_of(-0.0), "0");
}

TEST(JsonNumbers, OtherDoublesReadBackExactlyAndNonFiniteAreNull) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> any(-1e6, 1e6);
  for (int i = 0; i < 10'000; ++i) {
    const double v = any(random);
    EXPECT_EQ(nlohmann::json::parse(text_of(v)).get<double>(), v);
  }
  for (const double v : {9007199254740992.0, 1e300, -1e300, 5e-324, 0.1})
    EXPECT_EQ(nlohmann::json::parse(text_of(v)).get<double>(), v) << v;
  EXPECT_EQ(text_of(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(text_of(std::numeric_limits<double>::infinity()), "null");
}

TEST(JsonNumbers, AveragesAreRoundedToAThousandthWithoutTrailingZeros) {
  EXPECT_EQ(thousandths_of(1523.4166666666667), "1523.417");
  EXPECT_EQ(thousandths_of(1770.0), "1770");
  EXPECT_EQ(thousandths_of(229.95), "229.95");
  EXPECT_EQ(thousandths_of(0.9999996), "1");
  EXPECT_EQ(thousandths_of(0.0005), "0.001");
  EXPECT_EQ(thousandths_of(-2.5), "-2.5");
  EXPECT_EQ(thousandths_of(-0.0004), "0");
  EXPECT_EQ(thousandths_of(-0.0006), "-0.001");
  EXPECT_EQ(thousandths_of(0.05), "0.05");
  EXPECT_EQ(thousandths_of(std::numeric_limits<double>::quiet_NaN()), "null");
  // Too large to scale exactly: written in full instead.
  EXPECT_EQ(nlohmann::json::parse(thousandths_of(1e300)).get<double>(), 1e300);
}

TEST(JsonNumbers, EveryNumberOfPlacesRoundsAndDropsTrailingZeros) {
  std::string out;
  for (int decimals = 0; decimals <= 6; ++decimals) {
    append_rounded(out, 5.59513888888889, decimals);
    out += ' ';
  }
  EXPECT_EQ(out, "6 5.6 5.6 5.595 5.5951 5.59514 5.595139 ");
  out.clear();
  append_rounded(out, 0.000001, 6);
  EXPECT_EQ(out, "0.000001");
}

TEST(JsonNumbers, RoundedAveragesStayWithinHalfAThousandth) {
  std::mt19937_64 random(11);
  std::uniform_real_distribution<double> any(-1e9, 1e9);
  for (int i = 0; i < 10'000; ++i) {
    const double v = any(random) / 7;
    EXPECT_LE(std::fabs(nlohmann::json::parse(thousandths_of(v)).get<double>() - v), 0.0005 + 1e-6) << v;
  }
}

TEST(JsonNumbers, ArraysSeparateTheirNumbers) {
  NumberArray a(3);
  a.add(std::int64_t{1703199600000});
  a.add(2.5);
  a.add_rounded(1.0 / 3, 3);
  EXPECT_EQ(std::move(a).finish(), "[1703199600000,2.5,0.333]");
  EXPECT_EQ(NumberArray().finish(), "[]");
}

}  // namespace
}  // namespace meterd::dashboard
