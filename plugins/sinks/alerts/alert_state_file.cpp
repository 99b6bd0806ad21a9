#include "alert_state_file.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace meterd::alerts {
namespace {

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("alert state: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  void bind(int i, const std::string& s) { sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT); }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  int step() { return sqlite3_step(stmt_); }
  void reset() { sqlite3_reset(stmt_); }
  std::string text(int i) const {
    const auto* p = sqlite3_column_text(stmt_, i);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  std::int64_t integer(int i) const { return sqlite3_column_int64(stmt_, i); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

AlertStateFile::AlertStateFile(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    const std::string error = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot open the alert state file " + path.string() + ": " + error +
                             "; make its folder ([meterd] state_dir) writable for meterd");
  }
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA journal_mode=WAL");
  exec("CREATE TABLE IF NOT EXISTS tracks (rule TEXT NOT NULL, subject TEXT NOT NULL, condition TEXT NOT NULL,"
       " state TEXT NOT NULL, PRIMARY KEY (rule, subject))");
  exec("CREATE TABLE IF NOT EXISTS history (time_ms INTEGER NOT NULL, rule TEXT NOT NULL, subject TEXT NOT NULL,"
       " kind TEXT NOT NULL, message TEXT NOT NULL)");
}

AlertStateFile::~AlertStateFile() { sqlite3_close(db_); }

void AlertStateFile::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string text = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error("alert state file: " + text);
  }
}

std::map<std::string, Track> AlertStateFile::load(const std::string& rule, const std::string& condition) {
  std::map<std::string, Track> tracks;
  Statement s(db_, "SELECT subject, state FROM tracks WHERE rule = ?1 AND condition = ?2");
  s.bind(1, rule);
  s.bind(2, condition);
  while (s.step() == SQLITE_ROW) {
    try {
      tracks[s.text(0)] = track_from_json(s.text(1));
    } catch (const std::exception&) {
      // A damaged row costs that subject its memory, never the start.
    }
  }
  return tracks;
}

void AlertStateFile::save(const std::string& rule, const std::string& condition,
                          const std::map<std::string, Track*>& tracks) {
  exec("BEGIN");
  try {
    Statement s(db_, "INSERT OR REPLACE INTO tracks (rule, subject, condition, state) VALUES (?1, ?2, ?3, ?4)");
    for (const auto& [subject, track] : tracks) {
      s.bind(1, rule);
      s.bind(2, subject);
      s.bind(3, condition);
      s.bind(4, to_json(*track));
      if (s.step() != SQLITE_DONE) throw std::runtime_error(std::string("alert state: ") + sqlite3_errmsg(db_));
      s.reset();
    }
    exec("COMMIT");
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
}

void AlertStateFile::append(const HistoryEntry& e) {
  Statement s(db_, "INSERT INTO history (time_ms, rule, subject, kind, message) VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, e.time_ms);
  s.bind(2, e.rule);
  s.bind(3, e.subject);
  s.bind(4, e.kind);
  s.bind(5, e.message);
  if (s.step() != SQLITE_DONE) throw std::runtime_error(std::string("alert history: ") + sqlite3_errmsg(db_));
}

std::vector<HistoryEntry> AlertStateFile::history(std::size_t limit) const {
  std::vector<HistoryEntry> out;
  Statement s(db_, "SELECT time_ms, rule, subject, kind, message FROM history ORDER BY rowid DESC LIMIT ?1");
  s.bind(1, static_cast<std::int64_t>(limit));
  while (s.step() == SQLITE_ROW) out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4)});
  return out;
}

}  // namespace meterd::alerts
