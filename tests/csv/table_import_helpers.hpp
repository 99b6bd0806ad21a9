#pragma once
// Test helpers: read a whole CSV text through the library the way the importer does (plan from
// the head, then every row), and read a shipped example config block into mapping options.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "meterd/csv_table/import_plan.hpp"
#include "meterd/csv_table/import_summary.hpp"
#include "meterd/csv_table/table_reader.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::csv_table::testing {

struct ImportedValue {
  std::string quantity, unit, tariff;
  double number = 0;
};

struct ImportedRow {
  std::uint64_t line = 0;
  std::int64_t time_ms = 0, end_ms = 0;
  std::string meter_id;
  std::vector<ImportedValue> values;
  bool empty_read_as_zero = false;
};

struct ImportedFile {
  ImportPlan plan;
  std::vector<ImportedRow> rows;
  ImportSummary summary;
  std::vector<std::string> problems;  // "LINE code: detail"
};

class Collector : public TableReader::Handler {
 public:
  explicit Collector(ImportedFile& out) : out_(out) {}
  void row(const TableRow& r) override {
    if (!out_.summary.add_row(r, r.meter_id)) return;
    ImportedRow row{r.line, r.time_ms, r.interval_end_ms, std::string(r.meter_id), {}, r.empty_read_as_zero};
    for (const auto& v : r.values)
      row.values.push_back(ImportedValue{v.column->quantity, v.column->unit, v.column->tariff, v.number});
    out_.rows.push_back(std::move(row));
  }
  void bad_line(std::uint64_t line, const RowProblem& p, std::string_view) override {
    out_.problems.push_back(std::to_string(line) + " " + p.code + ": " + p.detail);
    out_.summary.add_skipped(line, p);
  }

 private:
  ImportedFile& out_;
};

inline ImportedFile import_text(const std::string& text, std::string_view format = "auto",
                                const OptionValues& overrides = {},
                                std::shared_ptr<const TimeZone> zone = TimeZone::load("Europe/Zurich")) {
  ImportedFile out;
  out.plan = plan_import(text, true, format, overrides, zone);
  TableReader reader(out.plan.mapping, out.plan.zone);
  Collector collector(out);
  // Uneven chunks, as a file read in blocks delivers them.
  for (std::size_t at = 0; at < text.size(); at += 4093) reader.feed(std::string_view(text).substr(at, 4093), collector);
  reader.finish(collector);
  out.summary.finish();
  return out;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The mapping options of the first section of a config file (plugin-level keys left out).
inline OptionValues read_mapping_block(const std::filesystem::path& path) {
  OptionValues options;
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line[0] == '[') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    auto trim = [](std::string s) {
      while (!s.empty() && s.back() == ' ') s.pop_back();
      while (!s.empty() && s.front() == ' ') s.erase(0, 1);
      return s;
    };
    const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    if (key == "plugin" || key == "meter_id" || key == "format" || key == "files") continue;
    options[key].push_back(value);
  }
  return options;
}

inline std::string option_value(const std::filesystem::path& path, const std::string& key) {
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key + " = ", 0) == 0) return line.substr(key.size() + 3);
  return {};
}

inline std::int64_t utc_ms(int y, int mo, int d, int h, int mi, int s = 0) {
  return civil_to_seconds(CivilTime{y, mo, d, h, mi, s}) * 1000;
}

}  // namespace meterd::csv_table::testing
