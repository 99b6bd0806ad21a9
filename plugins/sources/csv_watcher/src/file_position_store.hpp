#pragma once
// Where the watcher stopped in each file, kept in the instance's state directory so a restart
// continues after the last line it handled: no line twice, none skipped. A file is known by
// device and inode (rotation renames keep them) and by a hash of its first line (a file
// replaced in place, or an inode reused, has a different first line).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "meterd/csv_table/table_reader.hpp"

namespace meterd::csv_plugins {

struct FileKey {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  friend auto operator<=>(const FileKey&, const FileKey&) = default;
};

struct SavedPosition {
  FileKey key;
  csv_table::ReaderPosition position;
  std::uint64_t first_line_hash = 0;  // 0 while the first line is incomplete
  std::string path;                   // last name the file was seen under
};

class FilePositionStore {
 public:
  explicit FilePositionStore(std::filesystem::path file) : file_(std::move(file)) {}
  // Reads the saved positions; a missing file means a first start. Throws on a corrupt one
  // only if it cannot be read at all; unreadable lines are ignored and reported via `warning`.
  void load(std::string& warning);
  // Writes atomically (temporary file + rename), so a crash leaves the old or the new state.
  void save(const std::map<FileKey, SavedPosition>& positions) const;

  const std::map<FileKey, SavedPosition>& positions() const { return positions_; }
  std::optional<SavedPosition> find(const FileKey& key) const;
  std::optional<SavedPosition> find_by_path(const std::string& path) const;

 private:
  std::filesystem::path file_;
  std::map<FileKey, SavedPosition> positions_;
};

// FNV-1a of the first line including its newline, read with pread; 0 while it has none.
std::uint64_t first_line_hash(int fd);

}  // namespace meterd::csv_plugins
