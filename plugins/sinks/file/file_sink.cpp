// The `file` sink: readings as JSON Lines or CSV, one file per meter or one for all, with
// rotation by size or age and a chosen fsync policy.
#include <map>
#include <memory>

#include "meterd/diagnostic_throttle.hpp"
#include "meterd/option_checks.hpp"
#include "meterd/plugin.hpp"
#include "record_formats.hpp"
#include "rotating_file.hpp"

namespace po = boost::program_options;

namespace meterd::file_sink {
namespace {

class FileSink final : public sdk::Sink {
 public:
  explicit FileSink(sdk::SinkContext& ctx)
      : ctx_(ctx),
        directory_(ctx.options()["directory"].as<std::string>()),
        format_(parse_format(ctx.options()["format"].as<std::string>())),
        per_meter_(ctx.options()["per_meter"].as<bool>()),
        sync_(parse_sync_policy(ctx.options()["fsync"].as<std::string>())) {
    rotation_.max_bytes = ctx.options()["rotate_bytes"].as<std::uint64_t>();
    rotation_.max_age = std::chrono::seconds(ctx.options()["rotate_seconds"].as<std::uint64_t>());
    name_ = ctx.options()["name"].as<std::string>();
    memory_keep_ = static_cast<std::size_t>(ctx.options()["memory_keep_mb"].as<int>()) * 1024 * 1024;
    if (name_.empty()) name_ = ctx.instance_name();
  }

  void consume(const v1::Reading& r) override {
    scratch_.clear();
    append_record(format_, r, scratch_);
    if (buffered() + scratch_.size() > memory_keep_) {
      ++ctx_.counters().drops;
      if (const auto count = overflows_.occurred())
        ctx_.diagnostic(sdk::Level::error, "queue_overflow",
                        "the files cannot be written and memory_keep_mb is used up: dropped " + std::to_string(*count) +
                            " readings since the last report");
      return;
    }
    if (!file_for(r.meter_id()).write(scratch_)) report_failure();
    ++ctx_.counters().out;
  }

  void flush() override {
    bool ok = true;
    for (auto& [_, f] : files_) ok = f->flush() && ok;
    if (!ok) return report_failure();
    overflows_.cleared();
    if (failures_.cleared())
      ctx_.diagnostic(sdk::Level::info, "write_resumed", "the files can be written again; nothing kept in memory was lost");
  }
  bool durable() const override { return buffered() == 0; }
  void stop() override {
    flush();
    if (buffered() > 0)
      ctx_.diagnostic(sdk::Level::error, "queue_overflow",
                      std::to_string(buffered()) + " bytes of records could not be written before stopping and are lost");
    files_.clear();
  }

 private:
  RotatingFile& file_for(const std::string& meter) {
    const std::string key = per_meter_ ? safe_name(meter) : name_;
    auto it = files_.find(key);
    if (it != files_.end()) return *it->second;
    auto path = directory_ / (key + extension(format_));
    auto file = std::make_unique<RotatingFile>(path, rotation_, sync_, format_ == Format::csv ? csv_header() : "");
    return *files_.emplace(key, std::move(file)).first->second;
  }

  std::size_t buffered() const {
    std::size_t total = 0;
    for (const auto& [_, f] : files_) total += f->buffered();
    return total;
  }

  // First failure at once, then at most once a minute with the count: a full disk must not
  // produce a line per reading.
  void report_failure() {
    std::string error;
    for (const auto& [_, f] : files_)
      if (!f->last_error().empty()) error = f->last_error();
    if (const auto count = failures_.occurred())
      ctx_.diagnostic(sdk::Level::error, "write_failed",
                      error + " (" + std::to_string(*count) + " failed writes since the last report, " +
                          std::to_string(buffered()) + " bytes waiting in memory, up to memory_keep_mb)");
  }

  // Meter ids come from the wire; keep them from naming paths outside the directory.
  static std::string safe_name(const std::string& id) {
    std::string s;
    for (char c : id) s += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return s.empty() ? "unknown" : s;
  }

  sdk::SinkContext& ctx_;
  std::filesystem::path directory_;
  Format format_;
  bool per_meter_;
  SyncPolicy sync_;
  RotationPolicy rotation_;
  std::string name_;
  std::string scratch_;
  std::map<std::string, std::unique_ptr<RotatingFile>> files_;
  std::size_t memory_keep_;
  DiagnosticThrottle failures_, overflows_;
};

void describe(po::options_description& d) {
  d.add_options()
    ("directory", po::value<std::string>()->required(), "folder for the output files (created if missing)")
    ("format", po::value<std::string>()->default_value("jsonl")->notifier(sdk::parses_with(parse_format)), "jsonl (one JSON object per reading) or csv (one row per value)")
    ("per_meter", po::value<bool>()->default_value(false), "one file per meter instead of one for all")
    ("name", po::value<std::string>()->default_value(""), "file name without extension when not per meter (default: instance name)")
    ("rotate_bytes", po::value<std::uint64_t>()->default_value(0), "rotate when a file would exceed this size (0 = never)")
    ("rotate_seconds", po::value<std::uint64_t>()->default_value(0), "rotate files older than this (e.g. 86400; 0 = never)")
    ("memory_keep_mb", po::value<int>()->default_value(64)->notifier(sdk::in_range(1, 4096)),
     "records kept in memory while the files cannot be written (disk full, folder unwritable); beyond it new readings are dropped")
    ("fsync", po::value<std::string>()->default_value("flush")->notifier(sdk::parses_with(parse_sync_policy)), "never, flush (after each batch, when the bus is idle) or always (after each reading)");
}

std::unique_ptr<sdk::Sink> make(sdk::SinkContext& ctx) {
  // Validate at construction so a bad value is reported before anything is written.
  return std::make_unique<FileSink>(ctx);
}

const sdk::PluginInfo kInfo{sdk::kApiVersion, sdk::Kind::sink, "file", "1.0.0",
                            "writes readings to JSON Lines or CSV files with rotation", describe, nullptr, make};

}  // namespace
}  // namespace meterd::file_sink

METERD_PLUGIN(meterd::file_sink::kInfo)
