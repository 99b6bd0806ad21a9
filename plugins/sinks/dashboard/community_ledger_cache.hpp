#pragma once
// The community's ledgers of recent billing periods. Computing a period's ledger reads every
// member's 15-min energies and allocates every interval (seconds for a municipality's 2,000
// participants); a bill, the summary and the share-link bill of the same period all come from
// that one ledger, so an operator fetching every member's bill computes it once, not once per
// member. A ledger is kept while no change to the store since it was made reaches back before
// the period's end (HistoryStore::mark): today's readings leave last month's ledger as it is,
// a late reading, an import or a retention pass inside it does not, so a bill never shows
// older data than the store holds.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "community_ledger.hpp"

namespace meterd::dashboard {

class CommunityLedgerCache {
 public:
  // What the cache asks the store: a mark taken before a ledger reads it, and where the store
  // may have changed since a mark (HistoryStore::mark, changed_from).
  struct Changes {
    std::function<std::uint64_t()> mark;
    std::function<std::int64_t(std::uint64_t)> changed_from;
  };
  // The ledger of [from, to) kept from earlier if nothing changed before `to` since it was
  // made; else make()'s, kept. One computation at a time: requests for the same period
  // arriving together wait for it instead of each computing their own.
  std::shared_ptr<const CommunityLedger> get(std::int64_t from_ms, std::int64_t to_ms, const Changes& changes,
                                             const std::function<CommunityLedger()>& make);

 private:
  struct Entry {
    std::int64_t from_ms, to_ms;
    std::uint64_t mark;
    std::shared_ptr<const CommunityLedger> ledger;
  };
  static constexpr std::size_t kPeriods = 4;  // e.g. this month, the last, a quarter, a year
  std::mutex mutex_;
  std::vector<Entry> entries_;  // most recently used first
};

}  // namespace meterd::dashboard
