#include "meterd/disk_queue/fsync_policy.hpp"

namespace meterd::disk_queue {

std::optional<FsyncPolicy> parse_fsync_policy(std::string_view text) {
  if (text == "always") return FsyncPolicy::always;
  if (text == "interval") return FsyncPolicy::interval;
  if (text == "never") return FsyncPolicy::never;
  return std::nullopt;
}

}  // namespace meterd::disk_queue
