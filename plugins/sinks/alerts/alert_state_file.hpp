#pragma once
// The alerts sink's SQLite file: every rule's tracks (alert_track.hpp) and the history of
// notices. Tracks are stored with the condition they were judged by; a rule whose condition
// was changed in the config starts afresh instead of carrying a state that no longer fits.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "alert_track.hpp"

struct sqlite3;

namespace meterd::alerts {

struct HistoryEntry {
  std::int64_t time_ms;
  std::string rule, subject, kind, message;
};

class AlertStateFile {
 public:
  explicit AlertStateFile(const std::filesystem::path& path);  // throws std::runtime_error with the fix
  ~AlertStateFile();
  AlertStateFile(const AlertStateFile&) = delete;
  AlertStateFile& operator=(const AlertStateFile&) = delete;

  // Tracks of `rule` saved under `condition`; subject -> track.
  std::map<std::string, Track> load(const std::string& rule, const std::string& condition);
  void save(const std::string& rule, const std::string& condition, const std::map<std::string, Track*>& tracks);
  void append(const HistoryEntry& entry);
  std::vector<HistoryEntry> history(std::size_t limit) const;  // newest first

 private:
  void exec(const char* sql);
  sqlite3* db_ = nullptr;
};

}  // namespace meterd::alerts
