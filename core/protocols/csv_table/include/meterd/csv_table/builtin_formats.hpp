#pragma once
// The file formats meterd knows without a configured mapping (docs/protocols.md §15).
// Each is an ordinary TableMapping, so a config can start from one and override options.
#include <string_view>

#include "meterd/csv_table/column_mapping.hpp"

namespace meterd::csv_table {

inline constexpr std::string_view kCiiToolFormat = "cii_tool";
inline constexpr std::string_view kEkzExportFormat = "ekz_export";
inline constexpr std::string_view kCkwOpenDataFormat = "ckw_open_data";
inline constexpr std::string_view kPowerSeriesFormat = "power_series";
inline constexpr std::string_view kGenericFormat = "generic";

// The Hackdays CII tool: "dd.MM.yyyy HH:mm:ss;?;voltage V;power factor ×1000;power W",
// no header, local time in the instance's zone.
TableMapping cii_tool_mapping();

// myEKZ export: "sep=;", header "Zeitraum;HT [kWh];NT [kWh]", Europe/Zurich wall clock,
// 15-minute or daily rows (detected), HT or NT filled per interval, both empty meaning 0.
// `timestamp_format` is chosen by detection from the first data row.
TableMapping ekz_export_mapping();

// CKW open data: "id,timestamp,value_kwh", UTC ISO 8601, 15-minute interval starts. The
// column positions are found from the header by detection.
TableMapping ckw_open_data_mapping(std::size_t id_column, std::size_t timestamp_column, std::size_t value_column);

// Timestamp and active power; `scale` 1000 for kW files.
TableMapping power_series_mapping(char separator, std::size_t header_rows, std::string timestamp_format, double scale,
                                  bool decimal_comma);

}  // namespace meterd::csv_table
