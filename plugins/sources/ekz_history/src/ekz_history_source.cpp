#include "ekz_history_source.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <boost/program_options.hpp>

#include "mapping_options.hpp"
#include "meterd/csv_table/builtin_formats.hpp"
#include "meterd/csv_table/format_detection.hpp"
#include "meterd/csv_table/import_plan.hpp"
#include "meterd/csv_table/table_reader.hpp"
#include "meterd/time_zone.hpp"
#include "progress_bar.hpp"
#include "table_row_reading.hpp"

namespace meterd::csv_plugins {
namespace {

constexpr std::size_t kHeadBytes = 64 * 1024;
constexpr std::size_t kChunkBytes = 1 << 20;

// Publishes rows of one file and keeps its summary.
class Publisher : public csv_table::TableReader::Handler {
 public:
  Publisher(sdk::SourceContext& context, const std::string& meter_id, const TimeZone& zone, const std::string& path,
            csv_table::ImportSummary& summary)
      : context_(context), meter_id_(meter_id), zone_(zone), path_(path), summary_(summary) {}

  void row(const csv_table::TableRow& row) override {
    ++context_.counters().in;
    const std::string_view meter = row.meter_id.empty() ? std::string_view(meter_id_) : row.meter_id;
    if (!summary_.add_row(row, meter)) return;  // a second copy of the same interval
    batch_.clear();
    append_readings(row, meter_id_, zone_, batch_);
    for (auto& reading : batch_) {
      if (context_.publish(std::move(reading))) ++context_.counters().out;
      else ++dropped;
    }
  }

  void bad_line(std::uint64_t line, const csv_table::RowProblem& problem, std::string_view) override {
    ++context_.counters().in;
    ++context_.counters().errors;
    summary_.add_skipped(line, problem);
    // The first few of each file are reported one by one; the summary counts the rest.
    if (++reported_ <= 10)
      context_.diagnostic(sdk::Level::warning, problem.code, path_ + ":" + std::to_string(line) + ": " + problem.detail,
                          meter_id_);
  }

  std::uint64_t dropped = 0;

 private:
  sdk::SourceContext& context_;
  const std::string& meter_id_;
  const TimeZone& zone_;
  const std::string& path_;
  csv_table::ImportSummary& summary_;
  std::vector<v1::Reading> batch_;
  int reported_ = 0;
};

}  // namespace

EkzHistorySource::EkzHistorySource(sdk::SourceContext& context)
    : context_(context),
      meter_id_(context.options().count("meter_id") ? context.options()["meter_id"].as<std::string>()
                                                     : context.instance_name()),
      format_(context.options()["format"].as<std::string>()),
      progress_(context.options()["progress"].as<std::string>()),
      mapping_options_(mapping_options(context.options())) {
  if (context.options().count("files")) files_ = context.options()["files"].as<std::vector<std::string>>();
  bool known = format_ == "auto" || format_ == csv_table::kGenericFormat;
  for (auto name : csv_table::detectable_formats()) known = known || format_ == name;
  if (!known)
    throw std::invalid_argument("option 'format': '" + format_ +
                                "' is not auto, generic, ekz_export, ckw_open_data, cii_tool or power_series");
  if (progress_ != "auto" && progress_ != "always" && progress_ != "never")
    throw std::invalid_argument("option 'progress': '" + progress_ + "' is not auto, always or never");
  // A configured mapping is checked now, so a typo fails before any file is opened.
  if (format_ == csv_table::kGenericFormat || mapping_options_.count("column")) {
    const auto mapping = csv_table::parse_mapping(mapping_options_);
    csv_table::mapping_zone(mapping, context.time_zone());
  }
}

std::string EkzHistorySource::import_file(const std::string& path, std::stop_token stop,
                                          csv_table::ImportSummary& summary) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot open: " + std::string(std::strerror(errno));
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);

  std::string chunk(kChunkBytes, '\0');
  in.read(chunk.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(kHeadBytes, size)));
  std::string head(chunk.data(), static_cast<std::size_t>(in.gcount()));
  if (in.bad()) return "cannot read: " + std::string(std::strerror(errno));

  csv_table::ImportPlan plan;
  try {
    plan = csv_table::plan_import(head, head.size() == size, format_, mapping_options_, context_.time_zone());
  } catch (const std::exception& e) {
    return std::string(e.what()) + " (nothing imported)";
  }
  context_.log(sdk::Level::info, path + ": " + plan.notes + ", times in " + plan.zone->name());

  csv_table::TableReader reader(plan.mapping, plan.zone);
  Publisher publisher(context_, meter_id_, *plan.zone, path, summary);
  ProgressBar bar(progress_);
  bar.start(path, size);
  std::uint64_t done = head.size();
  reader.feed(head, publisher);
  std::string failure;
  while (done < size) {
    if (stop.stop_requested()) {
      failure = "stopped at line " + std::to_string(reader.position().lines) + " of the file, after " +
                std::to_string(summary.rows()) + " rows; the rest was not imported";
      break;
    }
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) {
      failure = "read failed after byte " + std::to_string(done) + " (" + std::to_string(summary.rows()) +
                " rows imported before; the rest was not)";
      break;
    }
    reader.feed(std::string_view(chunk.data(), n), publisher);
    done += n;
    bar.update(done, summary.rows());
  }
  if (failure.empty()) reader.finish(publisher);
  bar.update(done, summary.rows());
  bar.finish();
  summary.finish();
  if (publisher.dropped && failure.empty())
    failure = std::to_string(publisher.dropped) + " readings could not be handed to the bus";
  return failure;
}

void EkzHistorySource::run(std::stop_token stop) {
  if (files_.empty()) {
    context_.log(sdk::Level::warning, "no files to import (option 'files', or meterd import --config FILE PATH...)");
    return;
  }
  csv_table::ImportSummary total;
  std::vector<std::string> failures;
  for (const auto& path : files_) {
    if (stop.stop_requested()) {
      failures.push_back(path + ": not started, import stopped");
      continue;
    }
    csv_table::ImportSummary summary;
    const std::string failure = import_file(path, stop, summary);
    const std::string text = path + ": " + summary.text();
    context_.log(sdk::Level::info, text);
    context_.diagnostic(sdk::Level::info, "import_summary", text, meter_id_);
    if (!failure.empty()) {
      failures.push_back(path + ": " + failure);
      context_.diagnostic(sdk::Level::error, "import_failed", path + ": " + failure, meter_id_);
    }
    total.merge(summary);
  }
  if (files_.size() > 1) context_.log(sdk::Level::info, "all files: " + total.text());
  if (!failures.empty()) {
    std::string message = std::to_string(failures.size()) + " of " + std::to_string(files_.size()) +
                          " file(s) not fully imported:";
    for (const auto& f : failures) message += "\n  " + f;
    throw std::runtime_error(message);
  }
}

void describe_ekz_history_options(boost::program_options::options_description& options) {
  namespace po = boost::program_options;
  options.add_options()
    ("files", po::value<std::vector<std::string>>()->composing(),
     "history file to import (repeatable; meterd import adds its PATH arguments here)")
    ("meter_id", po::value<std::string>(), "meter id of the readings (default: the instance name)")
    ("format", po::value<std::string>()->default_value("auto"),
     "auto, ekz_export, ckw_open_data, power_series, cii_tool or generic (the column options below)")
    ("progress", po::value<std::string>()->default_value("auto"),
     "progress line on stderr: auto (only on a terminal), always, never");
  describe_mapping_options(options);
}

}  // namespace meterd::csv_plugins
