#pragma once
// When appended records are forced to stable storage. A crash of meterd alone (kill -9) never
// loses written records, whatever the policy: the kernel still holds them. The policy only
// decides how much a power cut may lose.
#include <optional>
#include <string_view>

namespace meterd::disk_queue {

enum class FsyncPolicy {
  always,    // after every record: nothing acknowledged to the bus is lost, slowest
  interval,  // at most once per fsync_interval, and on flush
  never,     // leave it to the kernel
};

std::optional<FsyncPolicy> parse_fsync_policy(std::string_view text);

}  // namespace meterd::disk_queue
