#pragma once
// The alerts announced on the bus, kept for the dashboard's Alerts view. Any alerts sink says
// what it judges and what happened as diagnostics (alert_rule at its start, then
// alert_firing, alert_reminder, alert_resolved; each message begins with the rule's name and
// the subject is the diagnostic's meter), so the dashboard shows rules, their state and their
// history without knowing that plugin. Kept in its own SQLite file so the state survives a
// restart; the history is bounded to the newest `history_limit` notices. Thread-safe: the
// sink's thread writes, the HTTP threads read.
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>

#include "meterd/v1/bus.pb.h"
#include "sqlite_db.hpp"

namespace meterd::dashboard {

class AlertBoard {
 public:
  explicit AlertBoard(const std::filesystem::path& file, std::size_t history_limit = 1000);

  // Keeps the diagnostic when it is an alert's; false for any other. Throws StoreError.
  bool take(const v1::Diagnostic& diagnostic);

  // {"rules": [...], "firing": N, "history": [...newest first, at most `limit`]}.
  nlohmann::json json(std::size_t limit) const;

 private:
  std::size_t history_limit_;
  mutable std::mutex mutex_;
  mutable Db db_;
};

}  // namespace meterd::dashboard
