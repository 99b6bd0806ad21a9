// Which metric a bus Value becomes: names, types, units and labels shared with the other sinks.
#include <gtest/gtest.h>

#include "value_metric.hpp"

using namespace meterd::prometheus;

namespace {

meterd::v1::Value number(const std::string& obis, const std::string& quantity, double v, const std::string& unit) {
  meterd::v1::Value value;
  value.set_obis(obis);
  value.set_quantity(quantity);
  value.set_number(v);
  value.set_unit(unit);
  return value;
}

}  // namespace

TEST(ValueMetric, PowerIsAGaugeInWatts) {
  const auto m = value_metric(number("1-0:1.7.0", "active_power_import", 2.5, "kW"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "meterd_power_watts");
  EXPECT_EQ(m->type, MetricType::gauge);
  EXPECT_EQ(m->value, 2500.0);
  EXPECT_EQ(m->quantity, "active_power_import");
  EXPECT_EQ(m->phase, "");
  EXPECT_EQ(m->unit, "");
}

TEST(ValueMetric, EnergyRegistersAreKwhCountersWithTariffInTheQuantity) {
  auto value = number("1-0:1.8.1", "active_energy_import", 1234567, "Wh");
  value.set_tariff("HT");
  const auto m = value_metric(value);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "meterd_energy_active_kwh_total");
  EXPECT_EQ(m->type, MetricType::counter);
  EXPECT_DOUBLE_EQ(m->value, 1234.567);
  EXPECT_EQ(m->quantity, "active_energy_import_ht");
  EXPECT_EQ(value_metric(number("1-0:3.8.0", "reactive_energy_import", 10, "kvarh"))->name,
            "meterd_energy_reactive_kvarh_total");
}

TEST(ValueMetric, NetRegisterIsAGaugeBecauseItCanGoDown) {
  const auto m = value_metric(number("1-0:16.8.0", "", -3, "kWh"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "meterd_energy_active_net_kwh");
  EXPECT_EQ(m->type, MetricType::gauge);
  EXPECT_EQ(m->quantity, "1-0_16_8_0");  // no catalogue name: the OBIS identifier, as MQTT uses
}

TEST(ValueMetric, PhaseComesFromTheObisCodeOrTheQuantity) {
  EXPECT_EQ(value_metric(number("1-0:52.7.0", "voltage_l2", 231, "V"))->phase, "L2");
  EXPECT_EQ(value_metric(number("1-0:71.7.0", "", 3, "A"))->phase, "L3");
  const auto by_name = value_metric(number("", "current_l1", 3, "A"));
  EXPECT_EQ(by_name->name, "meterd_current_amperes");
  EXPECT_EQ(by_name->phase, "L1");
}

TEST(ValueMetric, PowerFactorInPercentBecomesARatio) {
  const auto m = value_metric(number("", "power_factor", 97, "%"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "meterd_power_factor");
  EXPECT_DOUBLE_EQ(m->value, 0.97);
}

TEST(ValueMetric, UnknownNumbersKeepTheirUnitAsALabel) {
  const auto m = value_metric(number("", "temperature", 21, "°C"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "meterd_value");
  EXPECT_EQ(m->unit, "°C");
}

TEST(ValueMetric, TextAndIntervalValuesAreNotLatestValues) {
  meterd::v1::Value text;
  text.set_obis("0-0:96.1.0");
  text.set_text("LGZ123");
  EXPECT_FALSE(value_metric(text));
  auto interval = number("1-0:1.8.0", "active_energy_import", 0.2, "kWh");
  interval.set_interval_start_ms(1000);
  interval.set_interval_end_ms(901000);
  EXPECT_FALSE(value_metric(interval));
}

TEST(ValueMetric, EnergyPricesAreNoMeterValues) {
  // The price table shows the price valid now; the newest price value is usually tomorrow's.
  EXPECT_FALSE(value_metric(number("", "price", 0.2875, "CHF/kWh")));
  EXPECT_FALSE(value_metric(number("", "spot", 95.5, "EUR/MWh")));
  EXPECT_TRUE(value_metric(number("", "cost", 12.5, "CHF")));  // an amount of money is a value
}
