#include "meterd/csv_table/builtin_formats.hpp"

namespace meterd::csv_table {

TableMapping cii_tool_mapping() {
  TableMapping m;
  m.separator = ';';
  m.timestamp_column = 0;
  m.timestamp_format = "dd.MM.yyyy HH:mm:ss";
  m.interval = {IntervalSpec::Kind::none, 0};
  // Field 2 has no known meaning and stays unmapped. The tool reports one voltage; the
  // Hackdays team plotted it as the meter's voltage, taken here as L1.
  m.columns = {
      ValueColumn{2, "1-0:32.7.0", "voltage_l1", "V", 1.0, ""},
      ValueColumn{3, "1-0:13.7.0", "power_factor", "", 0.001, ""},
      ValueColumn{4, "1-0:1.7.0", "active_power_import", "W", 1.0, ""},
  };
  return m;
}

TableMapping ekz_export_mapping() {
  TableMapping m;
  m.separator = ';';
  m.header_rows = 1;
  m.timestamp_column = 0;
  m.timestamp_format = "dd.MM.yyyy HH:mm";
  m.time_zone = "Europe/Zurich";
  m.interval = {IntervalSpec::Kind::detect, 0};
  m.marks = TimestampMarks::detect;
  m.columns = {
      ValueColumn{1, "", "active_energy_import", "kWh", 1.0, "HT"},
      ValueColumn{2, "", "active_energy_import", "kWh", 1.0, "NT"},
  };
  m.empty_row_is_zero = true;
  return m;
}

TableMapping ckw_open_data_mapping(std::size_t id_column, std::size_t timestamp_column, std::size_t value_column) {
  TableMapping m;
  m.separator = ',';
  m.header_rows = 1;
  m.timestamp_column = timestamp_column;
  m.timestamp_format = "iso8601";
  m.time_zone = "UTC";
  m.interval = {IntervalSpec::Kind::fixed, 900};
  m.marks = TimestampMarks::start;
  m.columns = {ValueColumn{value_column, "", "active_energy_import", "kWh", 1.0, ""}};
  m.meter_id_column = id_column;
  return m;
}

TableMapping power_series_mapping(char separator, std::size_t header_rows, std::string timestamp_format, double scale,
                                  bool decimal_comma) {
  TableMapping m;
  m.separator = separator;
  m.header_rows = header_rows;
  m.timestamp_column = 0;
  m.timestamp_format = std::move(timestamp_format);
  m.interval = {IntervalSpec::Kind::none, 0};
  m.decimal_comma = decimal_comma;
  m.columns = {ValueColumn{1, "1-0:1.7.0", "active_power_import", "W", scale, ""}};
  return m;
}

}  // namespace meterd::csv_table
