#include "community_ledger_cache.hpp"

#include <algorithm>

namespace meterd::dashboard {

std::shared_ptr<const CommunityLedger> CommunityLedgerCache::get(std::int64_t from_ms, std::int64_t to_ms,
                                                                 std::uint64_t generation,
                                                                 const std::function<CommunityLedger()>& make) {
  std::lock_guard lock(mutex_);
  // Ledgers of an older generation can never be served again.
  std::erase_if(entries_, [&](const Entry& e) { return e.generation < generation; });
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const Entry& e) { return e.from_ms == from_ms && e.to_ms == to_ms && e.generation == generation; });
  if (it != entries_.end()) {
    std::rotate(entries_.begin(), it, it + 1);
    return entries_.front().ledger;
  }
  auto ledger = std::make_shared<const CommunityLedger>(make());
  entries_.insert(entries_.begin(), Entry{from_ms, to_ms, generation, ledger});
  if (entries_.size() > kPeriods) entries_.pop_back();
  return ledger;
}

}  // namespace meterd::dashboard
