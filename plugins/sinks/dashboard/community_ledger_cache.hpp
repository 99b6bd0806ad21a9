#pragma once
// The community's ledgers of recent billing periods, kept while the store has not changed.
// Computing a period's ledger reads every member's 15-min energies and allocates every
// interval (seconds for a municipality's 2,000 participants); a bill, the summary and the
// share-link bill of the same period all come from that one ledger, so an operator fetching
// every member's bill computes it once, not once per member. Every ledger belongs to one
// store generation (HistoryStore::generation): the first lookup at a newer one recomputes,
// so a bill never shows older data than the store holds.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "community_ledger.hpp"

namespace meterd::dashboard {

class CommunityLedgerCache {
 public:
  // The ledger of [from, to) at `generation`, else make()'s, kept for the next ask. The caller
  // reads `generation` before make() reads the store (as AnswerCache::get). One computation
  // at a time: requests for the same period arriving together wait for it instead of each
  // computing their own.
  std::shared_ptr<const CommunityLedger> get(std::int64_t from_ms, std::int64_t to_ms, std::uint64_t generation,
                                             const std::function<CommunityLedger()>& make);

 private:
  struct Entry {
    std::int64_t from_ms, to_ms;
    std::uint64_t generation;
    std::shared_ptr<const CommunityLedger> ledger;
  };
  static constexpr std::size_t kPeriods = 4;  // e.g. this month, the last, a quarter, a year
  std::mutex mutex_;
  std::vector<Entry> entries_;  // most recently used first
};

}  // namespace meterd::dashboard
