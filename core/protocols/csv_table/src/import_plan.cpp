#include "meterd/csv_table/import_plan.hpp"

#include <vector>

#include "meterd/csv_table/builtin_formats.hpp"
#include "meterd/csv_table/format_detection.hpp"
#include "meterd/csv_table/interval_layout.hpp"
#include "meterd/csv_table/table_reader.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::csv_table {
namespace {

// Collects the wall clocks of the head's rows to see the interval layout.
class WallClockCollector : public TableReader::Handler {
 public:
  void row(const TableRow& r) override {
    if (r.wall_clock) wall_clocks.push_back(r.wall_clock_seconds);
  }
  void bad_line(std::uint64_t, const RowProblem&, std::string_view) override {}
  std::vector<std::int64_t> wall_clocks;
};

bool has_option(const OptionValues& options, const char* name) {
  const auto it = options.find(name);
  return it != options.end() && !it->second.empty();
}

}  // namespace

std::shared_ptr<const TimeZone> mapping_zone(const TableMapping& mapping,
                                             const std::shared_ptr<const TimeZone>& default_zone) {
  if (mapping.time_zone.empty()) return default_zone ? default_zone : TimeZone::utc();
  try {
    return TimeZone::load(mapping.time_zone);
  } catch (const std::exception& e) {
    throw MappingError("option 'time_zone': " + std::string(e.what()));
  }
}

ImportPlan plan_import(std::string_view head, bool whole_file, std::string_view format, const OptionValues& overrides,
                       const std::shared_ptr<const TimeZone>& default_zone) {
  ImportPlan plan;
  if (format == kGenericFormat || (format == "auto" && has_option(overrides, "column"))) {
    plan.format = std::string(kGenericFormat);
    plan.mapping = parse_mapping(overrides);
    plan.notes = "configured column mapping";
  } else if (format == "auto") {
    Detection d = detect_format(head, whole_file);
    if (!d.mapping)
      throw ImportPlanError(d.failure_text() + "; generic: no 'column' mapping in the config");
    plan.format = d.format;
    plan.mapping = parse_mapping(overrides, std::move(*d.mapping));
    plan.notes = "detected format " + d.format;
  } else {
    FormatProbe p = probe_format(format, head, whole_file);
    if (!p.mapping) throw ImportPlanError("not in format " + std::string(format) + ": " + p.why_not);
    plan.format = std::string(format);
    plan.mapping = parse_mapping(overrides, std::move(*p.mapping));
    plan.notes = "format " + plan.format;
  }
  plan.zone = mapping_zone(plan.mapping, default_zone);

  const bool detect_interval = plan.mapping.interval.kind == IntervalSpec::Kind::detect;
  const bool detect_marks = plan.mapping.marks == TimestampMarks::detect;
  if (detect_interval || detect_marks) {
    TableMapping probe = plan.mapping;
    probe.interval = {IntervalSpec::Kind::none, 0};
    probe.marks = TimestampMarks::start;
    TableReader reader(std::move(probe), plan.zone);
    WallClockCollector collector;
    reader.feed(head, collector);
    if (whole_file) reader.finish(collector);
    std::string why_not;
    const auto layout = detect_interval_layout(collector.wall_clocks, plan.mapping.interval, plan.mapping.marks, why_not);
    if (!layout) throw ImportPlanError(plan.format + ": " + why_not);
    plan.mapping.interval = layout->interval;
    plan.mapping.marks = layout->marks;
    plan.notes += ", " + layout->explanation;
  }
  return plan;
}

}  // namespace meterd::csv_table
