#include "meterd/disk_queue/disk_queue.hpp"

#include <algorithm>
#include <stdexcept>
#include <system_error>

#include "meterd/disk_queue/record_frame.hpp"

namespace meterd::disk_queue {
namespace {

constexpr const char* kCursorFileName = "cursor";

std::vector<std::uint64_t> list_segment_sequences(const std::filesystem::path& directory) {
  std::vector<std::uint64_t> sequences;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (!entry.is_regular_file()) continue;
    if (auto sequence = parse_segment_file_name(entry.path().filename().string())) sequences.push_back(*sequence);
  }
  std::sort(sequences.begin(), sequences.end());
  return sequences;
}

}  // namespace

DiskQueue::DiskQueue(DiskQueueOptions options) : options_(std::move(options)) {
  std::filesystem::create_directories(options_.directory);
  std::lock_guard lock(mutex_);
  recover();
  last_sync_ = std::chrono::steady_clock::now();
}

std::filesystem::path DiskQueue::segment_path(std::uint64_t sequence) const {
  return options_.directory / segment_file_name(sequence);
}

std::filesystem::path DiskQueue::cursor_path() const { return options_.directory / kCursorFileName; }

std::uint64_t DiskQueue::segment_limit() const {
  const std::uint64_t quarter_budget = std::max<std::uint64_t>(options_.max_bytes / 4, 4096);
  return std::min(options_.segment_bytes, quarter_budget);
}

void DiskQueue::recover() {
  for (const std::uint64_t sequence : list_segment_sequences(options_.directory)) {
    segments_.push_back(Segment{sequence, 0, 0, SegmentFile(segment_path(sequence))});
  }
  for (std::size_t i = 0; i < segments_.size(); ++i) recover_segment(segments_[i], i + 1 == segments_.size());

  const auto stored_cursor = load_cursor(cursor_path());
  if (!stored_cursor && std::any_of(segments_.begin(), segments_.end(), [](const Segment& s) { return s.records > 0; })) {
    recovery_.problems.push_back("queue cursor missing or damaged: replaying every record still on disk");
  }
  if (segments_.empty()) start_segment(stored_cursor ? stored_cursor->segment + 1 : 1);
  place_cursor(stored_cursor);
  // A new queue gets its cursor file at once, so a missing one later means real damage.
  if (!stored_cursor) store_cursor_locked();

  for (const Segment& segment : segments_) total_bytes_ += segment.bytes;
  pending_ = 0;
  for (const Segment& segment : segments_) pending_ += segment.records;
  pending_ -= consumed_in_cursor_segment_;
  recovery_.pending_records = pending_;
}

// Counts the valid frames of a segment and cuts the file after the last one. Only the newest
// segment can legitimately end in a torn frame; damage elsewhere is reported all the same.
void DiskQueue::recover_segment(Segment& segment, bool is_newest) {
  const std::uint64_t file_bytes = segment.file.size();
  const std::string content = segment.file.read(0, file_bytes);
  std::string_view rest(content);
  while (!rest.empty()) {
    const FrameParse frame = parse_frame(rest);
    if (frame.status != FrameStatus::complete) break;
    ++segment.records;
    segment.bytes += frame.frame_bytes;
    rest.remove_prefix(frame.frame_bytes);
  }
  if (segment.bytes == file_bytes) return;
  const std::uint64_t discarded = file_bytes - segment.bytes;
  segment.file.truncate(segment.bytes);
  recovery_.discarded_bytes += discarded;
  recovery_.problems.push_back(
      std::string(is_newest ? "torn last record" : "damaged record") + " in queue segment " +
      segment.file.path().filename().string() + ": discarded " + std::to_string(discarded) +
      " bytes after offset " + std::to_string(segment.bytes) +
      (is_newest ? " (write interrupted by a crash; that reading was never acknowledged)" : ""));
}

void DiskQueue::place_cursor(const std::optional<QueuePosition>& stored) {
  QueuePosition position = stored.value_or(QueuePosition{segments_.front().sequence, 0});
  // Segments wholly before the cursor were acknowledged; a crash may have left them behind.
  while (segments_.size() > 1 && segments_.front().sequence < position.segment) remove_front_segment();
  Segment& front = segments_.front();
  if (position.segment != front.sequence) position = {front.sequence, 0};
  if (position.offset > front.bytes) {
    recovery_.problems.push_back("queue cursor pointed past the data of its segment (lost in a power cut?): "
                                 "continuing after the last record on disk");
    position.offset = front.bytes;
  }
  // Walk frame by frame so the cursor lands on a frame boundary and the count is exact.
  const std::string content = front.file.read(0, position.offset);
  std::string_view rest(content);
  std::uint64_t offset = 0;
  consumed_in_cursor_segment_ = 0;
  while (offset < position.offset) {
    const FrameParse frame = parse_frame(rest);
    if (frame.status != FrameStatus::complete) break;
    offset += frame.frame_bytes;
    rest.remove_prefix(frame.frame_bytes);
    ++consumed_in_cursor_segment_;
  }
  cursor_ = {front.sequence, offset};
}

void DiskQueue::start_segment(std::uint64_t sequence) {
  if (!segments_.empty() && options_.fsync != FsyncPolicy::never) segments_.back().file.sync();
  segments_.push_back(Segment{sequence, 0, 0, SegmentFile(segment_path(sequence))});
  if (options_.fsync != FsyncPolicy::never) sync_directory(options_.directory);
}

void DiskQueue::remove_front_segment() {
  const std::filesystem::path path = segments_.front().file.path();
  total_bytes_ -= std::min(total_bytes_, segments_.front().bytes);
  segments_.pop_front();
  std::error_code ignored;  // a segment that cannot be removed is retried at the next start
  std::filesystem::remove(path, ignored);
}

std::uint64_t DiskQueue::drop_oldest_segment() {
  const std::uint64_t lost = segments_.front().records - consumed_in_cursor_segment_;
  pending_ -= lost;
  remove_front_segment();
  cursor_ = {segments_.front().sequence, 0};
  consumed_in_cursor_segment_ = 0;
  store_cursor_locked();
  return lost;
}

AppendResult DiskQueue::append(std::string_view record) {
  if (record.size() > kMaxRecordBytes) throw std::length_error("queue record larger than 16 MiB");
  const std::string header = frame_header(record);
  const std::uint64_t frame_bytes = header.size() + record.size();

  std::lock_guard lock(mutex_);
  AppendResult result;
  if (segments_.back().bytes > 0 && segments_.back().bytes + frame_bytes > segment_limit()) {
    start_segment(segments_.back().sequence + 1);
  }
  while (total_bytes_ + frame_bytes > options_.max_bytes && segments_.size() > 1) {
    result.dropped_records += drop_oldest_segment();
  }
  Segment& segment = segments_.back();
  segment.file.append(header, record);
  segment.bytes += frame_bytes;
  ++segment.records;
  total_bytes_ += frame_bytes;
  ++pending_;
  unsynced_ = true;
  sync_if_due();
  return result;
}

void DiskQueue::sync_if_due() {
  if (options_.fsync == FsyncPolicy::never || !unsynced_) return;
  const auto now = std::chrono::steady_clock::now();
  if (options_.fsync == FsyncPolicy::interval && now - last_sync_ < options_.fsync_interval) return;
  segments_.back().file.sync();
  last_sync_ = now;
  unsynced_ = false;
}

void DiskQueue::sync() {
  std::lock_guard lock(mutex_);
  if (options_.fsync == FsyncPolicy::never || !unsynced_) return;
  segments_.back().file.sync();
  last_sync_ = std::chrono::steady_clock::now();
  unsynced_ = false;
}

QueueBatch DiskQueue::peek(std::size_t max_records, std::uint64_t max_bytes) const {
  std::lock_guard lock(mutex_);
  QueueBatch batch;
  std::uint64_t offset = cursor_.offset;
  for (const Segment& segment : segments_) {
    if (batch.records.size() >= max_records) break;
    read_segment_records(segment, offset, max_records, max_bytes, batch);
    offset = 0;
  }
  return batch;
}

// Appends records of `segment` from `offset` to `batch` until a limit is reached. A batch
// always gets at least one record, however large, so delivery cannot stall on it.
void DiskQueue::read_segment_records(const Segment& segment, std::uint64_t offset, std::size_t max_records,
                                     std::uint64_t max_bytes, QueueBatch& batch) const {
  std::uint64_t batch_bytes = 0;
  for (const auto& record : batch.records) batch_bytes += record.size();
  while (offset < segment.bytes && batch.records.size() < max_records) {
    if (!batch.records.empty() && batch_bytes >= max_bytes) return;
    const std::uint64_t want = std::min(segment.bytes - offset, std::max<std::uint64_t>(max_bytes - std::min(max_bytes, batch_bytes), 64 * 1024));
    const std::string chunk = segment.file.read(offset, want);
    std::string_view rest(chunk);
    bool parsed_any = false;
    while (batch.records.size() < max_records && (batch.records.empty() || batch_bytes < max_bytes)) {
      const FrameParse frame = parse_frame(rest);
      if (frame.status == FrameStatus::corrupt) {
        throw std::runtime_error("queue segment " + segment.file.path().string() + " is damaged at offset " +
                                 std::to_string(offset) + "; move it away to let delivery continue");
      }
      if (frame.status == FrameStatus::truncated) break;
      batch.records.emplace_back(frame.payload);
      offset += frame.frame_bytes;
      batch_bytes += frame.payload.size();
      batch.ends.push_back({segment.sequence, offset});
      rest.remove_prefix(frame.frame_bytes);
      parsed_any = true;
    }
    if (parsed_any) continue;
    if (rest.size() >= kFrameHeaderBytes) {
      // One record larger than the chunk: read exactly that frame.
      const std::string frame_bytes = segment.file.read(offset, segment.bytes - offset);
      const FrameParse header_only = parse_frame(frame_bytes);
      if (header_only.status != FrameStatus::complete) {
        throw std::runtime_error("queue segment " + segment.file.path().string() + " is damaged at offset " +
                                 std::to_string(offset));
      }
      batch.records.emplace_back(header_only.payload);
      offset += header_only.frame_bytes;
      batch_bytes += header_only.payload.size();
      batch.ends.push_back({segment.sequence, offset});
      continue;
    }
    return;
  }
}

void DiskQueue::commit(const QueueBatch& batch, std::size_t acknowledged) {
  std::lock_guard lock(mutex_);
  const std::size_t count = std::min(acknowledged, batch.ends.size());
  bool moved = false;
  for (std::size_t i = 0; i < count; ++i) {
    const QueuePosition& end = batch.ends[i];
    if (end <= cursor_) continue;  // dropped for the budget while in flight
    while (segments_.size() > 1 && segments_.front().sequence < end.segment) {
      pending_ -= segments_.front().records - consumed_in_cursor_segment_;
      remove_front_segment();
      consumed_in_cursor_segment_ = 0;
    }
    cursor_ = end;
    ++consumed_in_cursor_segment_;
    --pending_;
    moved = true;
  }
  if (!moved) return;
  // A fully acknowledged segment that is no longer written to is deleted right away.
  if (segments_.size() > 1 && cursor_.offset >= segments_.front().bytes) {
    remove_front_segment();
    cursor_ = {segments_.front().sequence, 0};
    consumed_in_cursor_segment_ = 0;
  }
  store_cursor_locked();
}

void DiskQueue::store_cursor_locked() {
  store_cursor(cursor_path(), cursor_, options_.fsync != FsyncPolicy::never);
}

std::uint64_t DiskQueue::pending_records() const {
  std::lock_guard lock(mutex_);
  return pending_;
}

std::uint64_t DiskQueue::bytes_on_disk() const {
  std::lock_guard lock(mutex_);
  return total_bytes_;
}

}  // namespace meterd::disk_queue
