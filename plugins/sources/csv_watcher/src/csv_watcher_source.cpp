#include "csv_watcher_source.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <boost/program_options.hpp>

#include "mapping_options.hpp"
#include "meterd/csv_table/builtin_formats.hpp"
#include "meterd/csv_table/import_plan.hpp"
#include "meterd/time_zone.hpp"
#include "table_row_reading.hpp"

namespace meterd::csv_plugins {
namespace {

constexpr std::int64_t kDetachedGraceMs = 1000;
constexpr std::int64_t kSaveEveryMs = 200;
constexpr int kRetryMissingDirectoryMs = 1000;
constexpr std::chrono::milliseconds kCheckpointTimeout{10'000};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

csv_table::TableMapping watcher_mapping(const boost::program_options::variables_map& options) {
  const std::string format = options["format"].as<std::string>();
  csv_table::TableMapping base;
  if (format == csv_table::kCiiToolFormat) base = csv_table::cii_tool_mapping();
  else if (format != csv_table::kGenericFormat)
    throw std::invalid_argument("option 'format': '" + format + "' is not cii_tool or generic");
  auto mapping = csv_table::parse_mapping(mapping_options(options), base);
  if (mapping.interval.kind == csv_table::IntervalSpec::Kind::detect || mapping.marks == csv_table::TimestampMarks::detect)
    throw std::invalid_argument("options 'interval' and 'timestamp_is' cannot be auto for a followed file: "
                                "lines arrive one by one, so set them");
  return mapping;
}

WatchPattern split_pattern(const std::string& text) {
  const std::filesystem::path p(text);
  WatchPattern w;
  w.directory = p.has_parent_path() ? p.parent_path().string() : ".";
  w.name_glob = p.filename().string();
  if (w.name_glob.empty()) throw std::invalid_argument("option 'path': '" + text + "' names no file");
  if (w.directory.find_first_of("*?[") != std::string::npos)
    throw std::invalid_argument("option 'path': '" + text + "': wildcards are allowed in the file name only");
  return w;
}

std::vector<WatchPattern> watch_patterns(const boost::program_options::variables_map& options) {
  if (!options.count("path")) throw std::invalid_argument("option 'path' is required: the file(s) to follow");
  std::vector<WatchPattern> patterns;
  for (const auto& text : options["path"].as<std::vector<std::string>>()) patterns.push_back(split_pattern(text));
  return patterns;
}

}  // namespace

void check_csv_watcher_options(const boost::program_options::variables_map& options) {
  (void)csv_table::mapping_zone(watcher_mapping(options), TimeZone::utc());
  (void)watch_patterns(options);
}

CsvWatcherSource::CsvWatcherSource(sdk::SourceContext& context)
    : context_(context),
      meter_id_(context.options().count("meter_id") ? context.options()["meter_id"].as<std::string>()
                                                     : context.instance_name()),
      mapping_(watcher_mapping(context.options())),
      zone_(csv_table::mapping_zone(mapping_, context.time_zone())),
      patterns_(watch_patterns(context.options())),
      store_(context.state_dir() / "positions") {}

bool CsvWatcherSource::matches(const std::string& directory, const std::string& name) const {
  return std::any_of(patterns_.begin(), patterns_.end(), [&](const WatchPattern& p) {
    return p.directory == directory && ::fnmatch(p.name_glob.c_str(), name.c_str(), FNM_PERIOD) == 0;
  });
}

void CsvWatcherSource::watch_directories() {
  for (const auto& p : patterns_) {
    if (dir_watched_[p.directory]) continue;
    const int wd = ::inotify_add_watch(inotify_fd_, p.directory.c_str(),
                                       IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO |
                                           IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF);
    if (wd < 0) {
      // Logged once per directory; the loop tries again every second until it appears.
      if (!dir_watched_.count(p.directory + "\n reported")) {
        dir_watched_[p.directory + "\n reported"] = true;
        context_.diagnostic(sdk::Level::warning, "directory_missing",
                            "cannot watch " + p.directory + ": " + std::strerror(errno) +
                                "; waiting for it to appear");
      }
      continue;
    }
    watch_dirs_[wd] = p.directory;
    dir_watched_[p.directory] = true;
    dir_watched_.erase(p.directory + "\n reported");
    scan_directories();
  }
}

void CsvWatcherSource::scan_directories() {
  for (const auto& [wd, directory] : watch_dirs_) {
    DIR* dir = ::opendir(directory.c_str());
    if (!dir) continue;
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(dir)) names.emplace_back(e->d_name);
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      const std::string path = (std::filesystem::path(directory) / name).string();
      if (!matches(directory, name)) continue;
      if (files_.count(path)) {
        files_[path]->read_available();
        continue;
      }
      open_file(path, true);
    }
  }
}

void CsvWatcherSource::open_file(const std::string& path, bool from_saved_position) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT)
      context_.diagnostic(sdk::Level::error, "open_failed", "cannot open " + path + ": " + std::strerror(errno),
                          meter_id_);
    return;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return;
  }
  const FileKey key{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
  // The same file under a new name that still matches (renamed within the pattern).
  for (auto it = files_.begin(); it != files_.end(); ++it) {
    if (it->second->key() == key) {
      auto file = std::move(it->second);
      files_.erase(it);
      file->rename(path);
      ::close(fd);
      files_[path] = std::move(file);
      files_[path]->read_available();
      return;
    }
  }
  for (auto it = detached_.begin(); it != detached_.end(); ++it) {
    if (it->file->key() == key) {
      auto file = std::move(it->file);
      detached_.erase(it);
      file->rename(path);
      ::close(fd);
      files_[path] = std::move(file);
      files_[path]->read_available();
      return;
    }
  }
  std::optional<SavedPosition> saved;
  if (from_saved_position) {
    saved = store_.find(key);
    if (!saved) saved = store_.find_by_path(path);
  }
  auto file = std::make_unique<FollowedFile>(path, fd, key, mapping_, zone_, *this, saved ? &*saved : nullptr);
  if (file->read_available()) files_[path] = std::move(file);
}

void CsvWatcherSource::recover_rotated_files() {
  // A file rotated while meterd was down still has lines after the saved position: find it
  // by inode in its old directory and read it to the end before following the new file.
  for (const auto& [key, saved] : store_.positions()) {
    bool followed = false;
    for (const auto& [path, file] : files_) followed = followed || file->key() == key;
    if (followed) continue;
    const std::string directory = std::filesystem::path(saved.path).parent_path().string();
    DIR* dir = ::opendir(directory.empty() ? "." : directory.c_str());
    if (!dir) continue;
    std::string found;
    while (const dirent* e = ::readdir(dir)) {
      if (e->d_ino != key.inode) continue;
      const std::string path = (std::filesystem::path(directory) / e->d_name).string();
      struct stat st {};
      if (::stat(path.c_str(), &st) == 0 && static_cast<std::uint64_t>(st.st_dev) == key.device) found = path;
    }
    ::closedir(dir);
    if (found.empty()) continue;
    const int fd = ::open(found.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    FollowedFile file(found, fd, key, mapping_, zone_, *this, &saved);
    file.read_available();
    file.take_dirty();
    context_.log(sdk::Level::info, "read the rest of " + found + " (rotated away from " + saved.path + ")");
  }
}

void CsvWatcherSource::detach(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end()) return;
  it->second->read_available();
  detached_.push_back(Detached{std::move(it->second), now_ms() + kDetachedGraceMs});
  files_.erase(it);
}

void CsvWatcherSource::drain_detached(bool all) {
  const std::int64_t now = now_ms();
  for (auto it = detached_.begin(); it != detached_.end();) {
    it->file->read_available();
    if (all || now >= it->until_ms) it = detached_.erase(it);
    else ++it;
  }
}

void CsvWatcherSource::handle_events() {
  alignas(inotify_event) char buffer[16 * 1024];
  while (true) {
    const ssize_t n = ::read(inotify_fd_, buffer, sizeof buffer);
    if (n <= 0) return;  // EAGAIN: all events handled
    for (ssize_t at = 0; at < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buffer + at);
      at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      if (e->mask & IN_Q_OVERFLOW) {
        // Events were lost: look at every file and directory again.
        for (auto& [path, file] : files_) file->read_available();
        scan_directories();
        continue;
      }
      const auto dir_it = watch_dirs_.find(e->wd);
      if (dir_it == watch_dirs_.end()) continue;
      const std::string directory = dir_it->second;
      if (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
        if (e->mask & IN_IGNORED) {
          watch_dirs_.erase(dir_it);
          dir_watched_[directory] = false;
        }
        continue;
      }
      if (e->len == 0) continue;
      const std::string name(e->name);
      if (!matches(directory, name)) continue;
      const std::string path = (std::filesystem::path(directory) / name).string();
      if (e->mask & (IN_MOVED_FROM | IN_DELETE)) {
        detach(path);
      } else if (e->mask & (IN_CREATE | IN_MOVED_TO)) {
        if (files_.count(path)) detach(path);  // replaced by rename over it
        open_file(path, false);
      } else if (e->mask & (IN_MODIFY | IN_CLOSE_WRITE)) {
        auto it = files_.find(path);
        if (it == files_.end()) open_file(path, false);
        else if (!it->second->read_available()) files_.erase(it);
      }
    }
  }
}

// A position is saved only once every sink has made the rows before it durable (the
// checkpoint); until then a kill -9 makes the next start read those rows again, with the
// same reading ids, instead of skipping them.
void CsvWatcherSource::save_positions(bool force) {
  bool dirty = false;
  for (auto& [path, file] : files_) dirty = file->take_dirty() || dirty;
  for (auto& d : detached_) dirty = d.file->take_dirty() || dirty;
  if (!dirty && !pending_save_ && !force) return;
  const std::int64_t now = now_ms();
  if (!force && now - last_save_ms_ < kSaveEveryMs) {
    // Not yet: remember that something is unsaved by marking nothing; the next call saves.
    pending_save_ = true;
    return;
  }
  std::map<FileKey, SavedPosition> positions;
  for (const auto& [path, file] : files_) positions[file->key()] = file->saved_position();
  for (const auto& d : detached_) positions[d.file->key()] = d.file->saved_position();
  if (!context_.checkpoint(kCheckpointTimeout)) {
    pending_save_ = true;  // tried again on the next turn of the loop
    return;
  }
  store_.save(positions);
  last_save_ms_ = now;
  pending_save_ = false;
}

void CsvWatcherSource::row(const std::string&, const csv_table::TableRow& row) {
  ++context_.counters().in;
  batch_.clear();
  append_readings(row, meter_id_, *zone_, batch_);
  for (auto& reading : batch_)
    if (context_.publish(std::move(reading))) ++context_.counters().out;
}

void CsvWatcherSource::bad_line(const std::string& path, std::uint64_t line, const csv_table::RowProblem& problem) {
  ++context_.counters().in;
  ++context_.counters().errors;
  context_.diagnostic(sdk::Level::warning, problem.code, path + ":" + std::to_string(line) + ": " + problem.detail,
                      meter_id_);
}

void CsvWatcherSource::notice(const std::string& path, std::string_view code, std::string_view message) {
  context_.diagnostic(code == "read_error" ? sdk::Level::error : sdk::Level::info, code,
                      path + ": " + std::string(message), meter_id_);
}

void CsvWatcherSource::run(std::stop_token stop) {
  std::string warning;
  store_.load(warning);
  if (!warning.empty()) context_.diagnostic(sdk::Level::warning, "state_unreadable", warning, meter_id_);

  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) throw std::runtime_error(std::string("inotify_init1: ") + std::strerror(errno));
  const int wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd < 0) {
    ::close(inotify_fd_);
    throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
  }
  // A stop request wakes poll() at once instead of waiting for a timeout.
  std::stop_callback wake(stop, [wake_fd] {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto ignored = ::write(wake_fd, &one, sizeof one);
  });

  watch_directories();
  recover_rotated_files();
  save_positions(true);
  while (!stop.stop_requested()) {
    const bool all_watched = std::all_of(patterns_.begin(), patterns_.end(),
                                         [&](const WatchPattern& p) { return dir_watched_[p.directory]; });
    int timeout = -1;
    if (!detached_.empty() || pending_save_) timeout = 100;
    else if (!all_watched) timeout = kRetryMissingDirectoryMs;
    pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    const int ready = ::poll(fds, 2, timeout);
    if (ready < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    if (fds[1].revents) break;
    if (fds[0].revents & POLLIN) handle_events();
    drain_detached(false);
    if (!all_watched) watch_directories();
    save_positions(false);
  }
  drain_detached(true);
  save_positions(true);
  files_.clear();
  ::close(wake_fd);
  ::close(inotify_fd_);
}

void describe_csv_watcher_options(boost::program_options::options_description& options) {
  namespace po = boost::program_options;
  options.add_options()
    ("path", po::value<std::vector<std::string>>()->composing(),
     "file to follow; wildcards in the file name follow every matching file (repeatable)")
    ("meter_id", po::value<std::string>(), "meter id of the readings (default: the instance name)")
    ("format", po::value<std::string>()->default_value("cii_tool"),
     "cii_tool (the Hackdays CII tool's CSV) or generic (the column options below)");
  describe_mapping_options(options);
}

}  // namespace meterd::csv_plugins
