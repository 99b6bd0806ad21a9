// Disk queue: ordering, restart at the persisted cursor, torn and damaged tails, disk budget.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "meterd/disk_queue/disk_queue.hpp"
#include "meterd/disk_queue/record_frame.hpp"
#include "temp_dir.hpp"

namespace dq = meterd::disk_queue;

namespace {

std::string record(int i) { return "reading-" + std::to_string(i); }

dq::DiskQueueOptions options_for(const std::filesystem::path& dir) {
  dq::DiskQueueOptions options;
  options.directory = dir;
  options.fsync = dq::FsyncPolicy::never;  // the tests simulate crashes by editing files
  return options;
}

std::vector<std::string> drain(dq::DiskQueue& queue) {
  std::vector<std::string> all;
  while (true) {
    auto batch = queue.peek(7, 1 << 20);
    if (batch.empty()) break;
    all.insert(all.end(), batch.records.begin(), batch.records.end());
    queue.commit(batch, batch.records.size());
  }
  return all;
}

std::filesystem::path newest_segment(const std::filesystem::path& dir) {
  std::filesystem::path newest;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".seg" && entry.path() > newest) newest = entry.path();
  }
  return newest;
}

}  // namespace

TEST(DiskQueue, DeliversRecordsInOrderOnce) {
  meterd::test_support::TempDir dir;
  dq::DiskQueue queue(options_for(dir.path()));
  for (int i = 0; i < 50; ++i) queue.append(record(i));
  EXPECT_EQ(queue.pending_records(), 50u);
  const auto all = drain(queue);
  ASSERT_EQ(all.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(all[static_cast<std::size_t>(i)], record(i));
  EXPECT_EQ(queue.pending_records(), 0u);
  EXPECT_TRUE(queue.peek(10, 1 << 20).empty());
}

TEST(DiskQueue, RestartResumesAtCursor) {
  meterd::test_support::TempDir dir;
  {
    dq::DiskQueue queue(options_for(dir.path()));
    for (int i = 0; i < 10; ++i) queue.append(record(i));
    auto batch = queue.peek(4, 1 << 20);
    ASSERT_EQ(batch.records.size(), 4u);
    queue.commit(batch, 4);
    // A batch that was sent but not acknowledged must come back after the restart.
    auto unacknowledged = queue.peek(3, 1 << 20);
    EXPECT_EQ(unacknowledged.records.front(), record(4));
  }
  dq::DiskQueue reopened(options_for(dir.path()));
  EXPECT_EQ(reopened.recovery().pending_records, 6u);
  EXPECT_TRUE(reopened.recovery().problems.empty());
  const auto rest = drain(reopened);
  ASSERT_EQ(rest.size(), 6u);
  EXPECT_EQ(rest.front(), record(4));
  EXPECT_EQ(rest.back(), record(9));
}

TEST(DiskQueue, PartialAcknowledgementCommitsOnlyThePrefix) {
  meterd::test_support::TempDir dir;
  dq::DiskQueue queue(options_for(dir.path()));
  for (int i = 0; i < 5; ++i) queue.append(record(i));
  auto batch = queue.peek(5, 1 << 20);
  queue.commit(batch, 2);
  EXPECT_EQ(queue.pending_records(), 3u);
  EXPECT_EQ(queue.peek(1, 1 << 20).records.front(), record(2));
}

TEST(DiskQueue, TornLastRecordIsDiscardedOnOpen) {
  meterd::test_support::TempDir dir;
  {
    dq::DiskQueue queue(options_for(dir.path()));
    for (int i = 0; i < 3; ++i) queue.append(record(i));
  }
  // A crash in the middle of a write: a full header announcing 100 bytes, then only 10.
  const std::string torn_payload(100, 'x');
  {
    std::ofstream out(newest_segment(dir.path()), std::ios::binary | std::ios::app);
    out << dq::frame_header(torn_payload) << torn_payload.substr(0, 10);
  }
  dq::DiskQueue reopened(options_for(dir.path()));
  EXPECT_EQ(reopened.recovery().discarded_bytes, dq::kFrameHeaderBytes + 10);
  ASSERT_EQ(reopened.recovery().problems.size(), 1u);
  EXPECT_NE(reopened.recovery().problems[0].find("torn last record"), std::string::npos);
  EXPECT_EQ(reopened.recovery().pending_records, 3u);
  reopened.append(record(3));  // appending after the repair must give a readable file
  const auto all = drain(reopened);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3], record(3));
}

TEST(DiskQueue, CorruptLastRecordIsDetectedByCrc) {
  meterd::test_support::TempDir dir;
  {
    dq::DiskQueue queue(options_for(dir.path()));
    for (int i = 0; i < 3; ++i) queue.append(record(i));
  }
  const auto segment = newest_segment(dir.path());
  const auto size = std::filesystem::file_size(segment);
  {
    std::fstream file(segment, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(static_cast<std::streamoff>(size - 2));
    file.put('#');  // flip one payload byte of the last record
  }
  dq::DiskQueue reopened(options_for(dir.path()));
  EXPECT_EQ(reopened.recovery().pending_records, 2u);
  EXPECT_EQ(reopened.recovery().discarded_bytes, dq::kFrameHeaderBytes + record(2).size());
  EXPECT_EQ(drain(reopened), (std::vector<std::string>{record(0), record(1)}));
}

TEST(DiskQueue, BudgetOverflowDropsOldestAndCountsThem) {
  meterd::test_support::TempDir dir;
  auto options = options_for(dir.path());
  options.max_bytes = 16 * 1024;
  options.segment_bytes = 4 * 1024;
  dq::DiskQueue queue(options);
  const std::string filler(92, 'p');  // 100 bytes per frame with the header
  std::uint64_t dropped = 0;
  for (int i = 0; i < 1000; ++i) dropped += queue.append(std::to_string(i) + ":" + filler).dropped_records;
  EXPECT_LE(queue.bytes_on_disk(), options.max_bytes);
  EXPECT_GT(dropped, 0u);
  EXPECT_EQ(dropped + queue.pending_records(), 1000u);
  // What is left is the newest records, contiguous, ending with the last one.
  const auto rest = drain(queue);
  ASSERT_EQ(rest.size(), 1000u - dropped);
  EXPECT_EQ(rest.front(), std::to_string(dropped) + ":" + filler);
  EXPECT_EQ(rest.back(), std::to_string(999) + ":" + filler);
}

TEST(DiskQueue, BudgetDropCountsOnlyUnacknowledgedRecords) {
  meterd::test_support::TempDir dir;
  auto options = options_for(dir.path());
  options.max_bytes = 8 * 1024;
  options.segment_bytes = 2 * 1024;
  dq::DiskQueue queue(options);
  const std::string filler(92, 'p');
  for (int i = 0; i < 10; ++i) queue.append(filler);
  auto batch = queue.peek(4, 1 << 20);
  queue.commit(batch, 4);  // 4 of the 20 records in the first segment are acknowledged
  std::uint64_t dropped = 0;
  for (int i = 0; i < 200; ++i) dropped += queue.append(filler).dropped_records;
  EXPECT_EQ(dropped + queue.pending_records(), 206u);
}

TEST(DiskQueue, AcknowledgedSegmentsAreDeleted) {
  meterd::test_support::TempDir dir;
  auto options = options_for(dir.path());
  options.segment_bytes = 1024;
  options.max_bytes = 1 << 20;
  dq::DiskQueue queue(options);
  for (int i = 0; i < 100; ++i) queue.append(std::string(92, 'q'));
  EXPECT_GT(queue.bytes_on_disk(), 9000u);
  drain(queue);
  EXPECT_LE(queue.bytes_on_disk(), 1024u);
  int segments = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) segments += entry.path().extension() == ".seg";
  EXPECT_EQ(segments, 1);
}

TEST(DiskQueue, MissingCursorReplaysEverythingAndSaysSo) {
  meterd::test_support::TempDir dir;
  {
    dq::DiskQueue queue(options_for(dir.path()));
    for (int i = 0; i < 4; ++i) queue.append(record(i));
    auto batch = queue.peek(2, 1 << 20);
    queue.commit(batch, 2);
  }
  std::filesystem::remove(dir.path() / "cursor");
  dq::DiskQueue reopened(options_for(dir.path()));
  EXPECT_EQ(reopened.recovery().pending_records, 4u);
  ASSERT_EQ(reopened.recovery().problems.size(), 1u);
}

TEST(DiskQueue, RecordLargerThanBatchLimitStillDelivered) {
  meterd::test_support::TempDir dir;
  dq::DiskQueue queue(options_for(dir.path()));
  const std::string big(200 * 1024, 'b');
  queue.append(big);
  queue.append("small");
  auto batch = queue.peek(10, 1024);
  ASSERT_EQ(batch.records.size(), 1u);
  EXPECT_EQ(batch.records[0], big);
  queue.commit(batch, 1);
  EXPECT_EQ(queue.peek(10, 1024).records.front(), "small");
}

TEST(DiskQueue, SurvivesManyRestartsWithFsync) {
  meterd::test_support::TempDir dir;
  auto options = options_for(dir.path());
  options.fsync = dq::FsyncPolicy::always;
  options.segment_bytes = 512;
  int next = 0;
  std::vector<std::string> delivered;
  for (int round = 0; round < 5; ++round) {
    dq::DiskQueue queue(options);
    for (int i = 0; i < 20; ++i) queue.append(record(next++));
    auto batch = queue.peek(13, 1 << 20);
    delivered.insert(delivered.end(), batch.records.begin(), batch.records.end());
    queue.commit(batch, batch.records.size());
  }
  dq::DiskQueue last(options);
  const auto rest = drain(last);
  delivered.insert(delivered.end(), rest.begin(), rest.end());
  ASSERT_EQ(delivered.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(delivered[static_cast<std::size_t>(i)], record(i));
}
