#pragma once
// The persisted read position of a queue: everything before it was acknowledged by the server.
// Stored as a small CRC-protected file replaced atomically (write temp, fsync, rename), so a
// crash leaves either the old or the new cursor, never a mix.
#include <compare>
#include <cstdint>
#include <filesystem>
#include <optional>

namespace meterd::disk_queue {

struct QueuePosition {
  std::uint64_t segment = 0;  // segment sequence number
  std::uint64_t offset = 0;   // byte offset inside that segment
  auto operator<=>(const QueuePosition&) const = default;
};

// std::nullopt when the file is missing or damaged.
std::optional<QueuePosition> load_cursor(const std::filesystem::path& file);
// `durable` adds the fsyncs that make the new cursor survive a power cut, not only a crash.
void store_cursor(const std::filesystem::path& file, const QueuePosition& position, bool durable);

}  // namespace meterd::disk_queue
