#pragma once
// A thin RAII layer over SQLite: statements, typed binds and columns, and errors that keep
// SQLite's code so callers can tell a full disk or a corrupt file from a bug.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace meterd::dashboard {

class StoreError : public std::runtime_error {
 public:
  StoreError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }
  bool disk_full() const { return (code_ & 0xff) == SQLITE_FULL || (code_ & 0xff) == SQLITE_IOERR; }
  bool corrupt() const { return (code_ & 0xff) == SQLITE_CORRUPT || (code_ & 0xff) == SQLITE_NOTADB; }

 private:
  int code_;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);
  // True while rows come; throws StoreError on failure.
  bool step();
  void run() { step(); reset(); }
  void reset();
  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const { return sqlite3_column_double(stmt_, column); }
  std::string text(int column) const;
  std::string_view blob(int column) const;
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A statement from Db::cached() while one caller uses it: reset, bindings cleared, when the
// lease ends, so no read stays open across a commit (it would pin the write-ahead log).
class StatementLease {
 public:
  StatementLease(Statement& cached, bool* in_use) : statement_(&cached), in_use_(in_use) { *in_use_ = true; }
  explicit StatementLease(std::unique_ptr<Statement> own) : own_(std::move(own)), statement_(own_.get()) {}
  ~StatementLease();
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  Statement* operator->() const { return statement_; }

 private:
  std::unique_ptr<Statement> own_;
  Statement* statement_;
  bool* in_use_ = nullptr;
};

class Db {
 public:
  explicit Db(const std::filesystem::path& file);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  // Prepared on first use and kept for the connection's life: for statements run per series
  // and flush, where preparing them again cost more than running them. A statement still
  // leased (a nested use) gets a fresh one.
  StatementLease cached(const std::string& sql);
  std::int64_t scalar(std::string_view sql);
  sqlite3* handle() const { return db_; }
  const std::filesystem::path& file() const { return file_; }

 private:
  struct Cached {
    std::unique_ptr<Statement> statement;
    bool in_use = false;
  };
  sqlite3* db_ = nullptr;
  std::filesystem::path file_;
  std::unordered_map<std::string, Cached> cache_;
};

[[noreturn]] void throw_store_error(sqlite3* db, int code, std::string_view what);

// Commits on commit(), rolls back when left by an exception.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~Transaction();
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace meterd::dashboard
