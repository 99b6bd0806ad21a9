// Every history format from fixture text written here: detection, DST days, BOM, CRLF,
// decimal commas, broken rows, and the failure report for a file no format fits.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>

#include "meterd/csv_table/format_detection.hpp"
#include "table_import_helpers.hpp"

namespace meterd::csv_table {
namespace {

using testing::import_text;
using testing::utc_ms;

// A myEKZ export of whole local days in Zurich time, 15-minute rows generated from UTC so the
// spring hour is missing and the autumn hour is listed twice (summer first, then winter).
// Values grow by 0.001 per row so the file order is visible in the result.
std::string ekz_export(int y, int m, int d, int days, bool end_labels = false) {
  const auto zone = TimeZone::load("Europe/Zurich");
  std::string text = "\xEF\xBB\xBFsep=;\r\nZeitraum;HT [kWh];NT [kWh]\r\n";
  const std::int64_t first = zone->start_of_local_day(civil_to_seconds({y, m, d, 12, 0, 0}) - 7200);
  const std::int64_t last = zone->start_of_local_day(civil_to_seconds({y, m, d + days, 12, 0, 0}) - 7200);
  int i = 0;
  for (std::int64_t t = first; t < last; t += 900, ++i) {
    const std::int64_t label = end_labels ? t + 900 : t;
    CivilTime c = seconds_to_civil(zone->utc_to_local(label));
    if (end_labels && c.hour == 0 && c.minute == 0) {  // this exporter writes 24:00
      c = seconds_to_civil(zone->utc_to_local(label) - 86400);
      c.hour = 24;
    }
    const bool high = c.hour >= 7 && c.hour < 20;
    char row[64];
    const double v = 0.1 + i * 0.001;
    std::snprintf(row, sizeof row, "%02d.%02d.%04d %02d:%02d;%s;%s\r\n", c.day, c.month, c.year, c.hour, c.minute,
                  high ? std::to_string(v).c_str() : "", high ? "" : std::to_string(v).c_str());
    text += row;
  }
  return text;
}

std::string without_header(const std::string& export_text) {
  return export_text.substr(export_text.find("NT [kWh]\r\n") + 10);
}

std::map<std::int64_t, int> intervals_per_local_day(const testing::ImportedFile& f) {
  const auto zone = TimeZone::load("Europe/Zurich");
  std::map<std::int64_t, int> days;
  for (const auto& r : f.rows) ++days[zone->start_of_local_day(r.time_ms / 1000)];
  return days;
}

TEST(CsvEkzExport, DstDaysKeepEveryIntervalOnce) {
  const auto f = import_text(ekz_export(2021, 3, 27, 2) + without_header(ekz_export(2021, 10, 31, 1)));
  EXPECT_EQ(f.plan.format, "ekz_export");
  EXPECT_EQ(f.plan.mapping.interval.seconds, 900);
  EXPECT_EQ(f.plan.mapping.marks, TimestampMarks::start);
  EXPECT_TRUE(f.problems.empty()) << f.problems.front();
  const auto days = intervals_per_local_day(f);
  std::vector<int> counts;
  for (const auto& [day, n] : days) counts.push_back(n);
  EXPECT_EQ(counts, (std::vector<int>{96, 92, 100}));

  std::set<std::int64_t> starts;
  for (const auto& r : f.rows) {
    starts.insert(r.time_ms);
    EXPECT_EQ(r.end_ms - r.time_ms, 900'000);
  }
  EXPECT_EQ(starts.size(), f.rows.size());  // nothing merged
  // Within the autumn day, file order equals time order: the second 02:00 is the later one.
  for (std::size_t i = 193; i < f.rows.size(); ++i) {
    EXPECT_EQ(f.rows[i].time_ms, f.rows[i - 1].end_ms) << "line " << f.rows[i].line;
    EXPECT_GT(f.rows[i].values[0].number, f.rows[i - 1].values[0].number);
  }
  EXPECT_EQ(f.summary.gaps(), 1u);  // between the spring files and the autumn one
  EXPECT_EQ(f.summary.overlaps(), 0u);
  EXPECT_EQ(f.rows.front().time_ms, utc_ms(2021, 3, 26, 23, 0));
  EXPECT_EQ(f.rows.front().values[0].tariff, "NT");
  EXPECT_EQ(f.rows[40].values[0].tariff, "HT");  // 10:00
  EXPECT_EQ(f.rows.front().values[0].unit, "kWh");
  EXPECT_EQ(f.rows.front().values[0].quantity, "active_energy_import");
}

TEST(CsvEkzExport, EndLabelledExportIsDetected) {
  const auto f = import_text(ekz_export(2021, 6, 1, 1, true));
  EXPECT_EQ(f.plan.mapping.marks, TimestampMarks::end);
  ASSERT_EQ(f.rows.size(), 96u);
  EXPECT_EQ(f.rows.front().time_ms, utc_ms(2021, 5, 31, 22, 0));
  EXPECT_EQ(f.rows.back().end_ms, utc_ms(2021, 6, 1, 22, 0));
  EXPECT_EQ(f.summary.gaps(), 0u);
}

TEST(CsvEkzExport, DailyRowsAreLocalDays) {
  const std::string text = "sep=;\nZeitraum;HT [kWh];NT [kWh]\n27.03.2021 00:00;5.5;3.25\n28.03.2021 00:00;;\n"
                           "29.03.2021 00:00;6;2\n";
  const auto f = import_text(text);
  EXPECT_EQ(f.plan.mapping.interval.kind, IntervalSpec::Kind::day);
  ASSERT_EQ(f.rows.size(), 3u);
  EXPECT_EQ(f.rows[0].end_ms - f.rows[0].time_ms, 24 * 3600'000);
  EXPECT_EQ(f.rows[1].end_ms - f.rows[1].time_ms, 23 * 3600'000);  // spring-forward day
  EXPECT_EQ(f.rows[1].time_ms, utc_ms(2021, 3, 27, 23, 0));
  ASSERT_EQ(f.rows[0].values.size(), 2u);
  EXPECT_EQ(f.rows[0].values[1].tariff, "NT");
  EXPECT_DOUBLE_EQ(f.rows[0].values[1].number, 3.25);
  // Both cells empty: the export's way of writing zero consumption.
  EXPECT_TRUE(f.rows[1].empty_read_as_zero);
  EXPECT_DOUBLE_EQ(f.rows[1].values[0].number, 0);
}

TEST(CsvEkzExport, BrokenRowsAreReportedWithLineAndReason) {
  std::string text = ekz_export(2021, 6, 1, 1);
  text.insert(text.find("01.06.2021 01:00"), "01.06.2021 0x:00;1;\r\n01.06.2021 00:50;abc;\r\n\r\n");
  const auto f = import_text(text);
  EXPECT_EQ(f.rows.size(), 96u);
  ASSERT_EQ(f.problems.size(), 2u);
  EXPECT_EQ(f.problems[0].rfind("7 bad_timestamp", 0), 0u) << f.problems[0];
  EXPECT_EQ(f.problems[1].rfind("8 bad_number: column 2: 'abc'", 0), 0u) << f.problems[1];
  EXPECT_EQ(f.summary.skipped(), 2u);
  EXPECT_NE(f.summary.text().find("bad_timestamp (first at line 7"), std::string::npos) << f.summary.text();
}

TEST(CsvCkwOpenData, UtcIntervalStartsAndMeterIdsFromTheFile) {
  const std::string text =
      "id,timestamp,value_kwh\r\n"
      "0a1b,2021-10-31T00:45:00Z,0.25\r\n0a1b,2021-10-31T01:00:00Z,0.5\r\n"
      "\"ff00\",2021-10-31T00:45:00.000Z,1.5\r\nff00,2021-10-31 01:00:00+00:00,2\r\n";
  const auto f = import_text(text);
  EXPECT_EQ(f.plan.format, "ckw_open_data");
  ASSERT_EQ(f.rows.size(), 4u);
  EXPECT_EQ(f.rows[0].meter_id, "0a1b");
  EXPECT_EQ(f.rows[2].meter_id, "ff00");
  EXPECT_EQ(f.rows[1].time_ms, utc_ms(2021, 10, 31, 1, 0));
  EXPECT_EQ(f.rows[1].end_ms, utc_ms(2021, 10, 31, 1, 15));
  EXPECT_EQ(f.rows[3].time_ms, utc_ms(2021, 10, 31, 1, 0));
  EXPECT_EQ(f.summary.gaps(), 0u);
  EXPECT_EQ(f.summary.overlaps(), 0u);  // tracked per meter
}

TEST(CsvCiiTool, BuiltInLayoutInLocalTime) {
  const std::string text = "28.08.2020 19:06:59;0;229;912;10\n28.08.2020 19:07:04;0;abc;912;10\ngarbage\n"
                           "28.08.2020 19:07:09;0;230;1000;2500";
  const auto f = import_text(text);
  EXPECT_EQ(f.plan.format, "cii_tool");
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.rows[0].time_ms, 1598634419000);  // 17:06:59 UTC, as the Hackdays InfluxDB shows
  EXPECT_EQ(f.rows[0].end_ms, 0);
  ASSERT_EQ(f.rows[0].values.size(), 3u);
  EXPECT_EQ(f.rows[0].values[0].quantity, "voltage_l1");
  EXPECT_DOUBLE_EQ(f.rows[0].values[0].number, 229);
  EXPECT_DOUBLE_EQ(f.rows[0].values[1].number, 0.912);
  EXPECT_DOUBLE_EQ(f.rows[1].values[2].number, 2500);
  ASSERT_EQ(f.problems.size(), 2u);
  EXPECT_EQ(f.problems[0].rfind("2 bad_number: column 3", 0), 0u) << f.problems[0];
  EXPECT_EQ(f.problems[1].rfind("3 too_few_fields", 0), 0u) << f.problems[1];
}

TEST(CsvPowerSeries, DecimalCommaKilowattsAndSpacing) {
  const std::string text = "Zeit;Leistung [kW]\n01.02.2019 00:00:00;1,5\n01.02.2019 00:00:01;1,625\n"
                           "01.02.2019 00:00:02;0,5\n01.02.2019 00:00:09;0,25\n";
  const auto f = import_text(text);
  EXPECT_EQ(f.plan.format, "power_series");
  EXPECT_TRUE(f.plan.mapping.decimal_comma);
  ASSERT_EQ(f.rows.size(), 4u);
  EXPECT_DOUBLE_EQ(f.rows[1].values[0].number, 1625);
  EXPECT_EQ(f.rows[1].values[0].quantity, "active_power_import");
  EXPECT_EQ(f.rows[0].time_ms, utc_ms(2019, 1, 31, 23, 0));
  EXPECT_EQ(f.summary.gaps(), 1u);  // 7 s after 1-s spacing
}

TEST(CsvPowerSeries, TenMinuteWattsWithIsoTimes) {
  const auto f = import_text("2019-03-01T00:00:00Z,1200\n2019-03-01T00:10:00Z,1300\n2019-03-01T00:20:00Z,900\n");
  EXPECT_EQ(f.plan.format, "power_series");
  ASSERT_EQ(f.rows.size(), 3u);
  EXPECT_EQ(f.rows[2].time_ms, utc_ms(2019, 3, 1, 0, 20));
  EXPECT_DOUBLE_EQ(f.rows[2].values[0].number, 900);
}

TEST(CsvGeneric, MappingWithQuotesHeaderRowsAndDecimalComma) {
  const std::string text = "\xEF\xBB\xBF" "Export of meter 4711\r\nDatum;Bezug;Einspeisung\r\n"
                           "\"01.01.2021 00:15\";\"1,25\";0,5\r\n01.01.2021 00:30;2,0;\r\n01.01.2021 00:45;x;1\r\n";
  const auto f = import_text(text, "auto",
                             {{"separator", {";"}},
                              {"header_rows", {"2"}},
                              {"decimal_comma", {"true"}},
                              {"timestamp_format", {"dd.MM.yyyy HH:mm"}},
                              {"interval", {"15min"}},
                              {"timestamp_is", {"end"}},
                              {"column", {"2 1-0:1.8.0/active_energy_import kWh", "3 active_energy_export Wh 1000"}}});
  EXPECT_EQ(f.plan.format, "generic");
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.rows[0].time_ms, utc_ms(2020, 12, 31, 23, 0));
  ASSERT_EQ(f.rows[0].values.size(), 2u);
  EXPECT_DOUBLE_EQ(f.rows[0].values[0].number, 1.25);
  EXPECT_DOUBLE_EQ(f.rows[0].values[1].number, 500);
  EXPECT_EQ(f.rows[1].values.size(), 1u);
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].rfind("5 bad_number", 0), 0u);
}

TEST(CsvDetection, UnknownFileNamesEveryFormatAndWhy) {
  const std::string text = "Timestamp,Energy_kWh,daily_avgTmp\n2021-01-01 00:00:00,0.013,0.0\n";
  try {
    import_text(text);
    FAIL() << "an unknown layout was imported";
  } catch (const ImportPlanError& e) {
    const std::string what = e.what();
    for (const char* expected : {"ekz_export: no header 'Zeitraum;HT [kWh];NT [kWh]'",
                                 "ckw_open_data: line 1 'Timestamp,Energy_kWh,daily_avgTmp' lacks the columns",
                                 "cii_tool: line 1 has 1 field(s)", "power_series: line 1",
                                 "generic: no 'column' mapping"})
      EXPECT_NE(what.find(expected), std::string::npos) << "missing \"" << expected << "\" in: " << what;
  }
}

TEST(CsvDetection, GzipAndExplicitFormatMismatch) {
  try {
    import_text(std::string("\x1f\x8b\x08\x00", 4));
    FAIL();
  } catch (const ImportPlanError& e) {
    EXPECT_NE(std::string(e.what()).find("gzip"), std::string::npos);
  }
  try {
    import_text("id,timestamp,value_kwh\nx,2021-01-01T00:00:00Z,1\n", "ekz_export");
    FAIL();
  } catch (const ImportPlanError& e) {
    EXPECT_NE(std::string(e.what()).find("not in format ekz_export"), std::string::npos);
  }
  // A power series spaced 15 minutes apart is refused as such, with the spacing named.
  FormatProbe p = probe_format("power_series", "2021-01-01 00:00:00,5\n2021-01-01 00:15:00,6\n", true);
  EXPECT_FALSE(p.mapping);
  EXPECT_NE(p.why_not.find("900 s apart"), std::string::npos) << p.why_not;
}

}  // namespace
}  // namespace meterd::csv_table
