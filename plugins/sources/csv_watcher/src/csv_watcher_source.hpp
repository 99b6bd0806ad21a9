#pragma once
// The csv_watcher source: follows CSV files other programs append to, like `tail -F`, and
// publishes a Reading per new line. inotify tells it about every write, so a line is read
// within milliseconds of its newline; polling is never used for files that exist.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "file_position_store.hpp"
#include "followed_file.hpp"
#include "meterd/csv_table/column_mapping.hpp"
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include "meterd/plugin.hpp"

namespace meterd::csv_plugins {

struct WatchPattern {
  std::string directory;  // watched with inotify
  std::string name_glob;  // file names in it that are followed (fnmatch)
};

// The plugin's options, for the config schema (and for tests building a context).
void describe_csv_watcher_options(boost::program_options::options_description& options);
// Throws std::invalid_argument for what the constructor would refuse, without opening anything.
void check_csv_watcher_options(const boost::program_options::variables_map& options);

class CsvWatcherSource : public sdk::Source, public FileEvents {
 public:
  // Throws std::invalid_argument for unusable options (bad mapping, bad zone, no path).
  explicit CsvWatcherSource(sdk::SourceContext& context);
  void run(std::stop_token stop) override;

 private:
  void row(const std::string& path, const csv_table::TableRow& row) override;
  void bad_line(const std::string& path, std::uint64_t line, const csv_table::RowProblem& problem) override;
  void notice(const std::string& path, std::string_view code, std::string_view message) override;

  bool matches(const std::string& directory, const std::string& name) const;
  void watch_directories();
  void scan_directories();
  void open_file(const std::string& path, bool from_saved_position);
  void recover_rotated_files();
  void handle_events();
  void detach(const std::string& path);
  void drain_detached(bool all);
  void save_positions(bool force);

  sdk::SourceContext& context_;
  std::string meter_id_;
  csv_table::TableMapping mapping_;
  std::shared_ptr<const TimeZone> zone_;
  std::vector<WatchPattern> patterns_;
  FilePositionStore store_;

  int inotify_fd_ = -1;
  std::map<int, std::string> watch_dirs_;  // watch descriptor → directory
  std::map<std::string, bool> dir_watched_;
  std::map<std::string, std::unique_ptr<FollowedFile>> files_;  // by current path
  struct Detached {
    std::unique_ptr<FollowedFile> file;
    std::int64_t until_ms;
  };
  // Files renamed or deleted away: the writer may still finish a line in them, so they are
  // read for a moment longer before being closed.
  std::vector<Detached> detached_;
  std::vector<v1::Reading> batch_;
  std::int64_t last_save_ms_ = 0;
  bool pending_save_ = false;
};

}  // namespace meterd::csv_plugins
