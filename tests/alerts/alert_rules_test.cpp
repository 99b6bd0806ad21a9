// Rules and their values as an owner writes them, and the messages for what is wrong.
#include <gtest/gtest.h>

#include "alert_rule.hpp"
#include "alert_test_support.hpp"
#include "rule_units.hpp"

namespace meterd::alerts {
namespace {

std::string error_of(const std::map<std::string, std::string>& settings, const std::vector<std::string>& meters = {}) {
  try {
    test::rules_of(settings, meters);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(AlertRules, AmountsWithUnits) {
  EXPECT_EQ(parse_amount("3 kW", Dimension::power), 3000);
  EXPECT_EQ(parse_amount("3000W", Dimension::power), 3000);
  EXPECT_EQ(parse_amount("250 V", Dimension::voltage), 250);
  EXPECT_EQ(parse_amount("1.5 kWh", Dimension::energy), 1500);
  EXPECT_EQ(parse_duration_ms("15 min"), 15 * 60'000);
  EXPECT_EQ(parse_duration_ms("2h"), 2 * 3'600'000);
  EXPECT_EQ(parse_duration_ms("0"), 0);
  EXPECT_THROW(parse_amount("3", Dimension::power), std::invalid_argument);
  EXPECT_THROW(parse_amount("3 kWh", Dimension::power), std::invalid_argument);
  EXPECT_THROW(parse_duration_ms("5 minuts"), std::invalid_argument);
  const auto night = parse_window("22:00-07:00");
  EXPECT_TRUE(night.contains(23 * 60));
  EXPECT_TRUE(night.contains(6 * 60 + 59));
  EXPECT_FALSE(night.contains(7 * 60));
  EXPECT_THROW(parse_window("22-07"), std::invalid_argument);
}

TEST(AlertRules, EveryConditionParses) {
  for (const char* text :
       {"power above 3 kW", "power below 50 W", "voltage outside", "voltage outside 210 V to 250 V",
        "energy day above 20 kWh", "energy week above 100 kWh", "energy month projected above 400 kWh",
        "base_load above 300 W", "base_load rising 20 % over 4 weeks", "peak_demand above 8 kW",
        "peak_demand within 10 % of 8 kW", "silent 15 min", "decoder_errors above 10 per hour", "queue growing",
        "queue above 1000"})
    EXPECT_NO_THROW(parse_condition(text)) << text;
  const auto band = parse_condition("voltage outside 230 V +/- 10 %");
  EXPECT_DOUBLE_EQ(band.low, 207);
  EXPECT_DOUBLE_EQ(band.threshold, 253);
  EXPECT_DOUBLE_EQ(parse_condition("voltage outside 230 V \u00b1 5 %").low, 218.5);
  const auto c = parse_condition("peak_demand within 10% of 8kW");
  EXPECT_EQ(c.kind, ConditionKind::peak_demand_near);
  EXPECT_EQ(c.percent, 10);
  EXPECT_EQ(c.threshold, 8000);
}

TEST(AlertRules, MistakesAreNamedWithTheFix) {
  EXPECT_NE(error_of({{"alert.x.when", "power above 3"}}).find("the unit is missing"), std::string::npos);
  EXPECT_NE(error_of({{"alert.x.when", "price above 0.30"}}).find("dynamic prices"), std::string::npos);
  EXPECT_NE(error_of({{"alert.x.when", "temperature above 30"}}).find("write one of"), std::string::npos);
  EXPECT_NE(error_of({{"alert.x.when", "silent 15 min"}, {"alert.x.whn", "x"}}).find("unknown rule setting 'whn'"), std::string::npos);
  EXPECT_NE(error_of({{"alert.x.for", "5 min"}}).find("has no condition"), std::string::npos);
  EXPECT_NE(error_of({{"alert.x.when", "silent 15 min"}, {"alert.x.meter", "K2"}}, {"K1"}).find("not in this sink's 'meters' list"),
            std::string::npos);
  EXPECT_NE(error_of({{"alert.x.when", "queue growing"}, {"alert.x.meter", "K1"}}).find(".instance"), std::string::npos);
  EXPECT_NE(error_of({{"alert.x.when", "silent 15 min"}, {"alert.x.channels", "sms"}}).find("no channel 'sms'"), std::string::npos);
  EXPECT_NE(error_of({{"alert.x.when", "voltage outside 250 V to 210 V"}}).find("lower bound"), std::string::npos);
  EXPECT_EQ(error_of({{"alert.x.when", "silent 15 min"}, {"alert.x.meter", "K1"}}, {"K1"}), "");
}

}  // namespace
}  // namespace meterd::alerts
