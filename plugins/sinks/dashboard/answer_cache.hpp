#pragma once
// Finished JSON answers of the heavy read endpoints (a year of days, a week of minutes), kept
// while the store has not changed: a dashboard asks the same ranges again on every visit and
// refresh, and between two changes of the store the answer cannot differ. Every entry belongs
// to one store generation (HistoryStore::generation); the first lookup at a newer generation
// drops them all, so new readings, an import of history and retention are seen at once.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace meterd::dashboard {

class AnswerCache {
 public:
  explicit AnswerCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  // The body kept for `key` at `generation`, else make()'s, kept for the next ask. The caller
  // reads `generation` before anything make() reads from the store, so an answer computed
  // while the store changed is filed under the older generation and never served.
  std::shared_ptr<const std::string> get(const std::string& key, std::uint64_t generation,
                                         const std::function<std::string()>& make);
  std::size_t entries() const;

 private:
  void forget_older_locked(std::uint64_t generation);
  std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::size_t bytes_ = 0;
  std::list<std::string> order_;  // keys, oldest first, dropped first when over max_bytes_
  std::unordered_map<std::string, std::shared_ptr<const std::string>> entries_;
};

}  // namespace meterd::dashboard
