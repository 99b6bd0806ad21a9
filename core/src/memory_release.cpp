#include "meterd/runtime/memory_release.hpp"

#include <malloc.h>

#include <atomic>
#include <chrono>

namespace meterd {

void limit_malloc_arenas() { mallopt(M_ARENA_MAX, 2); }

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
