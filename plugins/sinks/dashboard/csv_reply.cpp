#include "csv_reply.hpp"

#include <cstdio>

#include "meterd/csv_field.hpp"

namespace meterd::dashboard {

using nlohmann::json;

namespace {

std::string cell(const json& v, bool time, const TimeZone& zone) {
  if (v.is_null()) return {};
  if (time) return local_iso_time(v.get<std::int64_t>(), zone);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v.get<double>());
  return buf;
}

void header(std::string& out, const std::vector<CsvColumn>& columns) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ',';
    append_csv_field(out, columns[i].title);
  }
  out += "\r\n";
}

std::string time_title(const char* what, const TimeZone& zone) {
  return std::string(what) + " [" + zone.name() + "]";  // its unit: local time in that zone
}

}  // namespace

std::string local_iso_time(std::int64_t ms, const TimeZone& zone) {
  const auto s = ms / 1000;
  auto text = format_iso8601(s, zone.offset_at(s));
  if (const auto frac = ms % 1000) {
    char buf[8];
    std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(frac));
    text.insert(text.size() - 6, buf);  // before the "+hh:mm" offset
  }
  return text;
}

std::string csv_from_rows(const json& rows, const std::vector<CsvColumn>& columns, const TimeZone& zone) {
  std::string out;
  header(out, columns);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) out += ',';
      const auto& c = columns[i];
      append_csv_field(out, row.contains(c.key) ? cell(row[c.key], c.time, zone) : std::string());
    }
    out += "\r\n";
  }
  return out;
}

std::string csv_from_arrays(const json& arrays, const std::vector<CsvColumn>& columns, const TimeZone& zone) {
  std::string out;
  header(out, columns);
  const auto n = columns.empty() ? 0 : arrays[columns[0].key].size();
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) out += ',';
      append_csv_field(out, cell(arrays[columns[i].key][r], columns[i].time, zone));
    }
    out += "\r\n";
  }
  return out;
}

http::Response csv_response(std::string body, const std::string& name) {
  std::string safe = name;
  for (auto& c : safe) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!ok) c = '_';
  }
  auto res = http::Response::text(200, std::move(body), "text/csv; charset=utf-8; header=present");
  res.set_header("Content-Disposition", "attachment; filename=\"" + safe + "\"");
  return res;
}

std::vector<CsvColumn> energy_csv_columns(const json& periods, const std::string& currency, const TimeZone& zone) {
  const auto money = [&](const char* what) { return std::string(what) + " [" + currency + "]"; };
  std::vector<CsvColumn> columns{{"start_ms", time_title("start", zone), true}, {"end_ms", time_title("end", zone), true},
                                 {"wh", "energy [Wh]"}, {"estimated_wh", "estimated [Wh]"}, {"coverage", "coverage [0-1]"},
                                 {"cost", money("cost")}, {"source", "source"}};
  if (!periods.empty() && periods[0].contains("credit")) columns[5] = {"credit", money("feed-in credit")};
  const bool tariffs = !periods.empty() && periods[0].contains("ht_wh");
  if (tariffs) {
    columns.push_back({"ht_wh", "HT energy [Wh]"});
    columns.push_back({"nt_wh", "NT energy [Wh]"});
    columns.push_back({"ht_cost", money("HT cost")});
    columns.push_back({"nt_cost", money("NT cost")});
  }
  if (!periods.empty() && periods[0].contains("cost_vat"))
    for (const char* part : {"cost_energy", "cost_grid", "cost_levies", "cost_vat"}) columns.push_back({part, money(part)});
  if (!periods.empty() && periods[0].contains("fixed_fee")) columns.push_back({"fixed_fee", money("fixed fee")});
  return columns;
}

std::vector<CsvColumn> series_csv_columns(const json& series, const TimeZone& zone) {
  const auto unit = " [" + series["unit"].get<std::string>() + "]";
  std::vector<CsvColumn> columns{{"t", time_title(series.contains("value") ? "time" : "start", zone), true}};
  if (series.contains("value")) {
    columns.push_back({"value", series["quantity"].get<std::string>() + unit});
    return columns;
  }
  for (const char* stat : {"mean", "min", "max"}) columns.push_back({stat, stat + unit});
  if (series.contains("energy_wh")) {
    columns.push_back({"energy_wh", "energy [Wh]"});
    columns.push_back({"estimated_wh", "estimated [Wh]"});
  }
  return columns;
}

}  // namespace meterd::dashboard
