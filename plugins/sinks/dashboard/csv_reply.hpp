#pragma once
// The energy and series answers as CSV for spreadsheets (`format=csv`): a header row whose
// titles name each column's unit and the time zone, times as local ISO 8601 with their UTC
// offset (so a DST day's repeated hour stays unambiguous), empty cells for missing values.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "meterd/http/response.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dashboard {

struct CsvColumn {
  std::string key;    // field of the JSON answer
  std::string title;  // header text, with the unit
  bool time = false;  // milliseconds since the epoch, written as local time
};

// "2024-03-31T03:00:00+02:00"; milliseconds appear only when there are any.
std::string local_iso_time(std::int64_t ms, const TimeZone& zone);
// One row per element of `rows` (objects), a column per entry of `columns`.
std::string csv_from_rows(const nlohmann::json& rows, const std::vector<CsvColumn>& columns, const TimeZone& zone);
// One row per index of the parallel arrays `arrays[column.key]`.
std::string csv_from_arrays(const nlohmann::json& arrays, const std::vector<CsvColumn>& columns, const TimeZone& zone);
// text/csv, offered for download as `name` (characters outside [A-Za-z0-9._-] become '_').
http::Response csv_response(std::string body, const std::string& name);

// The columns of an energy answer's periods; HT/NT and fixed fee only when the periods have them.
std::vector<CsvColumn> energy_csv_columns(const nlohmann::json& periods, const std::string& currency, const TimeZone& zone);
// The columns of a series answer: time and value for raw points, else the bucket statistics.
std::vector<CsvColumn> series_csv_columns(const nlohmann::json& series, const TimeZone& zone);

}  // namespace meterd::dashboard
