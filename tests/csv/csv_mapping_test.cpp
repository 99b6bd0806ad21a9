// Column mappings from config options, and the clear errors for unusable ones.
#include <gtest/gtest.h>

#include "meterd/csv_table/column_mapping.hpp"
#include "meterd/csv_table/import_plan.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::csv_table {
namespace {

std::string error_of(const OptionValues& options) {
  try {
    parse_mapping(options);
  } catch (const MappingError& e) {
    return e.what();
  }
  return "";
}

TEST(CsvMapping, ColumnForms) {
  const auto a = parse_column("3 1-0:32.7.0 V");
  EXPECT_EQ(a.index, 2u);
  EXPECT_EQ(a.obis, "1-0:32.7.0");
  EXPECT_EQ(a.quantity, "");
  EXPECT_EQ(a.unit, "V");
  const auto b = parse_column("5 active_power_import W 1000 HT");
  EXPECT_EQ(b.quantity, "active_power_import");
  EXPECT_DOUBLE_EQ(b.scale, 1000);
  EXPECT_EQ(b.tariff, "HT");
  const auto c = parse_column("4 1-0:13.7.0/power_factor - 0.001");
  EXPECT_EQ(c.obis, "1-0:13.7.0");
  EXPECT_EQ(c.quantity, "power_factor");
  EXPECT_EQ(c.unit, "");
  EXPECT_DOUBLE_EQ(c.scale, 0.001);
  EXPECT_THROW(parse_column("0 voltage_l1 V"), MappingError);
  EXPECT_THROW(parse_column("x voltage_l1 V"), MappingError);
  EXPECT_THROW(parse_column("3"), MappingError);
  EXPECT_THROW(parse_column("3 voltage V zero"), MappingError);
}

TEST(CsvMapping, Intervals) {
  EXPECT_EQ(parse_interval("15min"), (IntervalSpec{IntervalSpec::Kind::fixed, 900}));
  EXPECT_EQ(parse_interval("900"), (IntervalSpec{IntervalSpec::Kind::fixed, 900}));
  EXPECT_EQ(parse_interval("1h"), (IntervalSpec{IntervalSpec::Kind::fixed, 3600}));
  EXPECT_EQ(parse_interval("24h").kind, IntervalSpec::Kind::day);
  EXPECT_EQ(parse_interval("day").kind, IntervalSpec::Kind::day);
  EXPECT_EQ(parse_interval("none").kind, IntervalSpec::Kind::none);
  EXPECT_EQ(parse_interval("auto").kind, IntervalSpec::Kind::detect);
  EXPECT_THROW(parse_interval("2d"), MappingError);
  EXPECT_THROW(parse_interval("15 parsecs"), MappingError);
}

TEST(CsvMapping, FullMappingAndItsErrors) {
  const auto m = parse_mapping({{"separator", {";"}},
                                {"header_rows", {"2"}},
                                {"decimal_comma", {"true"}},
                                {"timestamp_column", {"2"}},
                                {"timestamp_format", {"dd.MM.yyyy HH:mm"}},
                                {"interval", {"15min"}},
                                {"timestamp_is", {"end"}},
                                {"column", {"3 active_energy_import kWh", "4 active_energy_export kWh"}}});
  EXPECT_EQ(m.separator, ';');
  EXPECT_EQ(m.header_rows, 2u);
  EXPECT_TRUE(m.decimal_comma);
  EXPECT_EQ(m.timestamp_column, 1u);
  EXPECT_EQ(m.marks, TimestampMarks::end);
  ASSERT_EQ(m.columns.size(), 2u);

  EXPECT_NE(error_of({}).find("no value columns"), std::string::npos);
  EXPECT_NE(error_of({{"column", {"1 voltage_l1 V"}}}).find("timestamp column"), std::string::npos);
  EXPECT_NE(error_of({{"column", {"2 x V"}}, {"decimal_comma", {"yes"}}}).find("decimal"), std::string::npos);
  EXPECT_NE(error_of({{"column", {"2 x V"}}, {"timestamp_format", {"dd.MM.yyyy Q"}}}).find("timestamp_format"),
            std::string::npos);
  EXPECT_NE(error_of({{"column", {"2 x V"}}, {"separator", {"ab"}}}).find("separator"), std::string::npos);
  EXPECT_NE(error_of({{"column", {"2 x V"}}, {"header_rows", {"-1"}}}).find("header_rows"), std::string::npos);
  EXPECT_NE(error_of({{"column", {"2 x V"}}, {"timestamp_is", {"middle"}}}).find("timestamp_is"), std::string::npos);
}

TEST(CsvMapping, BadTimeZoneIsAClearError) {
  TableMapping m;
  m.time_zone = "Europe/Atlantis";
  try {
    mapping_zone(m, TimeZone::utc());
    FAIL() << "an unknown zone was accepted";
  } catch (const MappingError& e) {
    EXPECT_NE(std::string(e.what()).find("time_zone"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("Europe/Atlantis"), std::string::npos);
  }
  m.time_zone.clear();
  EXPECT_EQ(mapping_zone(m, TimeZone::load("Europe/Zurich"))->name(), "Europe/Zurich");
}

}  // namespace
}  // namespace meterd::csv_table
