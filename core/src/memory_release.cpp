#include "meterd/runtime/memory_release.hpp"

#include <malloc.h>

#include <atomic>
#include <chrono>

namespace meterd {

void configure_malloc() {
  mallopt(M_ARENA_MAX, 2);
  // A dashboard answer builds and drops vectors of a megabyte or two (a week of minute
  // buckets, its JSON). Left to glibc, each would be a fresh mmap, or heap top given back and
  // faulted in again, a page fault per 4 KB: that was half the time of a week's answer. Kept
  // in the heap instead, bounded by the trim threshold and by release_free_memory().
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 16 << 20);
}

void release_free_memory() {
  using clock = std::chrono::steady_clock;
  // malloc_trim walks every arena; once per interval is plenty after a burst.
  constexpr auto kInterval = std::chrono::seconds(5);
  static std::atomic<clock::rep> last{0};
  const auto now = clock::now().time_since_epoch().count();
  auto seen = last.load();
  if (now - seen < std::chrono::duration_cast<clock::duration>(kInterval).count()) return;
  if (!last.compare_exchange_strong(seen, now)) return;  // another thread is trimming
  malloc_trim(0);
}

}  // namespace meterd
