// Classification of values by OBIS code, unit and name, and unit normalisation.
#include <gtest/gtest.h>

#include "meterd/sink/value_key.hpp"
#include "meterd/sink/value_kind.hpp"

using namespace meterd::sink;

TEST(ValueKind, ClassifiesElectricityObisCodes) {
  EXPECT_EQ(classify_value("1-0:1.7.0", "", "W").kind, ValueKind::active_power);
  EXPECT_EQ(classify_value("1-0:21.7.0", "", "W").phase, "L1");
  EXPECT_EQ(classify_value("1-0:52.7.0", "", "V").kind, ValueKind::voltage);
  EXPECT_EQ(classify_value("1-0:52.7.0", "", "V").phase, "L2");
  EXPECT_EQ(classify_value("1-0:71.7.0", "", "A").kind, ValueKind::current);
  EXPECT_EQ(classify_value("1-0:71.7.0", "", "A").phase, "L3");
  EXPECT_EQ(classify_value("1-0:13.7.0", "", "").kind, ValueKind::power_factor);
  EXPECT_EQ(classify_value("1-0:14.7.0", "", "Hz").kind, ValueKind::frequency);
  const auto energy = classify_value("1-1:1.8.1", "", "Wh");
  EXPECT_EQ(energy.kind, ValueKind::active_energy);
  EXPECT_TRUE(energy.is_register);
  EXPECT_FALSE(energy.may_decrease);
  EXPECT_EQ(classify_value("1-0:5.8.0", "", "varh").kind, ValueKind::reactive_energy);
  EXPECT_TRUE(classify_value("1-0:16.8.0", "", "Wh").may_decrease);
  EXPECT_EQ(classify_value("0-1:24.2.1", "", "m3").kind, ValueKind::gas_volume);
}

TEST(ValueKind, FallsBackToUnitAndName) {
  EXPECT_EQ(classify_value("", "active_power_import", "kW").kind, ValueKind::active_power);
  EXPECT_EQ(classify_value("", "voltage_l3", "V").phase, "L3");
  EXPECT_EQ(classify_value("", "power_factor_l1", "").kind, ValueKind::power_factor);
  EXPECT_EQ(classify_value("0-0:96.1.0", "meter_serial", "").kind, ValueKind::other);
}

TEST(ValueKind, NormalisesUnits) {
  EXPECT_DOUBLE_EQ(normalize_unit(ValueKind::active_energy, 12345, "Wh").value, 12.345);
  EXPECT_EQ(normalize_unit(ValueKind::active_energy, 12345, "Wh").unit, "kWh");
  EXPECT_DOUBLE_EQ(normalize_unit(ValueKind::active_power, 1.5, "kW").value, 1500);
  EXPECT_DOUBLE_EQ(normalize_unit(ValueKind::power_factor, 95, "%").value, 0.95);
}

TEST(ValueKey, UsesQuantityWithTariffElseObis) {
  EXPECT_EQ(value_key("active_energy_import", "1-1:1.8.1", "HT"), "active_energy_import_ht");
  EXPECT_EQ(value_key("", "1-0:1.8.0", ""), "1-0_1_8_0");
  EXPECT_EQ(obis_identifier("0-0:96.1.0*255"), "0-0_96_1_0_255");
}
