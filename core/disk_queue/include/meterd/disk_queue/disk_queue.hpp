#pragma once
// A disk-backed FIFO of opaque records for store-and-forward delivery.
//
// Records are appended to numbered segment files; a persisted cursor marks what the server
// has acknowledged. On open, the newest segment is checked frame by frame and a torn last
// record (crash or kill -9 in the middle of a write) is cut off and reported. When the
// configured disk budget would be exceeded, whole oldest segments are deleted and the number
// of unsent records lost that way is returned to the caller, who must report it.
//
// Thread safety: all members may be called from any thread; one producer and one delivery
// thread is the intended use.
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "meterd/disk_queue/fsync_policy.hpp"
#include "meterd/disk_queue/queue_cursor.hpp"
#include "meterd/disk_queue/segment_file.hpp"

namespace meterd::disk_queue {

struct DiskQueueOptions {
  std::filesystem::path directory;
  std::uint64_t max_bytes = 256ull * 1024 * 1024;  // disk budget for all segments
  // Upper bound for one segment; the budget is enforced by deleting whole segments, so the
  // queue keeps segments at most a quarter of the budget to drop in reasonably small steps.
  std::uint64_t segment_bytes = 8ull * 1024 * 1024;
  FsyncPolicy fsync = FsyncPolicy::interval;
  std::chrono::milliseconds fsync_interval{1000};
};

// What opening the queue found; every entry of `problems` deserves a Diagnostic.
struct RecoveryReport {
  std::uint64_t pending_records = 0;      // unacknowledged records found on disk
  std::uint64_t discarded_bytes = 0;      // torn or corrupt tail bytes removed
  std::vector<std::string> problems;      // human-readable, one per repair
};

struct QueueBatch {
  std::vector<std::string> records;
  // ends[i] is the position just after records[i]: committing it acknowledges records[0..i].
  std::vector<QueuePosition> ends;
  bool empty() const { return records.empty(); }
};

struct AppendResult {
  std::uint64_t dropped_records = 0;  // oldest unsent records deleted to stay in budget
};

class DiskQueue {
 public:
  // Creates the directory when missing and recovers its content. Throws std::system_error.
  explicit DiskQueue(DiskQueueOptions options);

  const RecoveryReport& recovery() const { return recovery_; }

  AppendResult append(std::string_view record);
  // The oldest unacknowledged records, without removing them.
  QueueBatch peek(std::size_t max_records, std::uint64_t max_bytes) const;
  // Acknowledges the first `acknowledged` records of `batch` (a batch from peek). Records
  // already dropped for the budget while they were in flight are skipped.
  void commit(const QueueBatch& batch, std::size_t acknowledged);
  void sync();

  std::uint64_t pending_records() const;
  std::uint64_t bytes_on_disk() const;

 private:
  struct Segment {
    std::uint64_t sequence = 0;
    std::uint64_t bytes = 0;
    std::uint64_t records = 0;
    SegmentFile file;
  };

  void recover();
  void recover_segment(Segment& segment, bool is_newest);
  void place_cursor(const std::optional<QueuePosition>& stored);
  void read_segment_records(const Segment& segment, std::uint64_t offset, std::size_t max_records,
                            std::uint64_t max_bytes, QueueBatch& batch) const;
  std::uint64_t segment_limit() const;
  void start_segment(std::uint64_t sequence);
  std::uint64_t drop_oldest_segment();
  void remove_front_segment();
  void store_cursor_locked();
  void sync_if_due();
  std::filesystem::path segment_path(std::uint64_t sequence) const;
  std::filesystem::path cursor_path() const;

  DiskQueueOptions options_;
  RecoveryReport recovery_;
  mutable std::mutex mutex_;
  std::deque<Segment> segments_;          // oldest first; never empty after construction
  QueuePosition cursor_;                  // always inside segments_.front() or at its end
  std::uint64_t consumed_in_cursor_segment_ = 0;  // records of the front segment before the cursor
  std::uint64_t pending_ = 0;
  std::uint64_t total_bytes_ = 0;
  std::chrono::steady_clock::time_point last_sync_{};
  bool unsynced_ = false;
};

}  // namespace meterd::disk_queue
