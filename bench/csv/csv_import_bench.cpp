// Import rate of the CSV library on one core: three years of 15-minute myEKZ rows (Zurich
// wall clock, DST included) and one day of 1-second power rows. The files are generated here
// into memory and parsed the way the importer does (plan from the head, then every row through
// the TableReader and the summary); protobuf conversion is not part of the measurement.
// Usage: meterd_csv_bench [repetitions]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "meterd/csv_table/import_plan.hpp"
#include "meterd/csv_table/import_summary.hpp"
#include "meterd/csv_table/table_reader.hpp"
#include "meterd/time_zone.hpp"

namespace {

using namespace meterd;
using namespace meterd::csv_table;

std::string ekz_three_years() {
  const auto zone = TimeZone::load("Europe/Zurich");
  std::string text = "sep=;\r\nZeitraum;HT [kWh];NT [kWh]\r\n";
  const std::int64_t first = zone->start_of_local_day(civil_to_seconds({2021, 1, 1, 12, 0, 0}));
  const std::int64_t last = zone->start_of_local_day(civil_to_seconds({2024, 1, 1, 12, 0, 0}));
  int i = 0;
  for (std::int64_t t = first; t < last; t += 900, ++i) {
    const CivilTime c = seconds_to_civil(zone->utc_to_local(t));
    const bool high = c.hour >= 7 && c.hour < 20;
    char row[64];
    const int n = std::snprintf(row, sizeof row, "%02d.%02d.%04d %02d:%02d;%s%d.%03d%s\r\n", c.day, c.month, c.year,
                                c.hour, c.minute, high ? "" : ";", i % 3, i % 1000, high ? ";" : "");
    text.append(row, static_cast<std::size_t>(n));
  }
  return text;
}

std::string power_one_day() {
  std::string text = "timestamp,power_W\n";
  const std::int64_t start = civil_to_seconds({2019, 2, 1, 0, 0, 0});
  for (int s = 0; s < 86400; ++s) {
    const CivilTime c = seconds_to_civil(start + s);
    char row[64];
    const int n = std::snprintf(row, sizeof row, "%04d-%02d-%02dT%02d:%02d:%02dZ,%d.%d\n", c.year, c.month, c.day,
                                c.hour, c.minute, c.second, 200 + s % 3000, s % 10);
    text.append(row, static_cast<std::size_t>(n));
  }
  return text;
}

class Counting : public TableReader::Handler {
 public:
  void row(const TableRow& r) override {
    summary.add_row(r, r.meter_id);
    checksum += r.values.empty() ? 0 : r.values.front().number;
  }
  void bad_line(std::uint64_t line, const RowProblem& p, std::string_view) override { summary.add_skipped(line, p); }
  ImportSummary summary;
  double checksum = 0;
};

void measure(const char* name, const std::string& text, int repetitions) {
  const auto zone = TimeZone::load("Europe/Zurich");
  double best = 1e30;
  std::uint64_t rows = 0;
  for (int rep = 0; rep < repetitions; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    const ImportPlan plan = plan_import(std::string_view(text).substr(0, 65536), false, "auto", {}, zone);
    TableReader reader(plan.mapping, plan.zone);
    Counting handler;
    constexpr std::size_t kChunk = 1 << 20;  // the importer reads 1 MiB at a time
    for (std::size_t at = 0; at < text.size(); at += kChunk)
      reader.feed(std::string_view(text).substr(at, kChunk), handler);
    reader.finish(handler);
    handler.summary.finish();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rows = handler.summary.rows();
    if (handler.summary.skipped() != 0) {
      std::fprintf(stderr, "%s: unexpected skipped rows:\n%s\n", name, handler.summary.text().c_str());
      std::exit(1);
    }
    if (seconds < best) best = seconds;
  }
  std::printf("%-28s %9llu rows %8.1f MB  best %7.3f s  %10.0f rows/s  %6.1f MB/s\n", name,
              static_cast<unsigned long long>(rows), static_cast<double>(text.size()) / 1e6, best,
              static_cast<double>(rows) / best, static_cast<double>(text.size()) / 1e6 / best);
}

}  // namespace

int main(int argc, char** argv) {
  const int repetitions = argc > 1 ? std::atoi(argv[1]) : 5;
  measure("ekz 15-min, 3 years", ekz_three_years(), repetitions);
  measure("power 1-s, 1 day", power_one_day(), repetitions);
}
