#include "file_position_store.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace meterd::csv_plugins {

void FilePositionStore::load(std::string& warning) {
  positions_.clear();
  std::ifstream in(file_);
  if (!in) return;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    SavedPosition p;
    if (!(fields >> p.key.device >> p.key.inode >> p.position.offset >> p.position.lines >>
          p.position.first_data_line >> p.first_line_hash)) {
      warning = file_.string() + ":" + std::to_string(number) + ": unreadable position entry ignored";
      continue;
    }
    fields.get();  // the one space before the path, which may itself contain spaces
    std::getline(fields, p.path);
    positions_[p.key] = p;
  }
}

void FilePositionStore::save(const std::map<FileKey, SavedPosition>& positions) const {
  const auto temporary = file_.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << "# device inode offset lines first_data_line first_line_hash path\n";
    for (const auto& [key, p] : positions)
      out << p.key.device << ' ' << p.key.inode << ' ' << p.position.offset << ' ' << p.position.lines << ' '
          << p.position.first_data_line << ' ' << p.first_line_hash << ' ' << p.path << '\n';
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + temporary);
  }
  std::filesystem::rename(temporary, file_);
}

std::optional<SavedPosition> FilePositionStore::find(const FileKey& key) const {
  const auto it = positions_.find(key);
  if (it == positions_.end()) return std::nullopt;
  return it->second;
}

std::optional<SavedPosition> FilePositionStore::find_by_path(const std::string& path) const {
  for (const auto& [key, p] : positions_)
    if (p.path == path) return p;
  return std::nullopt;
}

std::uint64_t first_line_hash(int fd) {
  char buffer[4096];
  const ssize_t n = ::pread(fd, buffer, sizeof buffer, 0);
  if (n <= 0) return 0;
  std::uint64_t h = 14695981039346656037ull;
  for (ssize_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(buffer[i]);
    h *= 1099511628211ull;
    if (buffer[i] == '\n') return h == 0 ? 1 : h;
  }
  // A first line longer than the buffer: its first 4 KiB identify the file well enough.
  return n == static_cast<ssize_t>(sizeof buffer) ? (h == 0 ? 1 : h) : 0;
}

}  // namespace meterd::csv_plugins
