// Delivery loop and backoff: retries until acknowledged, partial acknowledgements, drain on stop.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "meterd/disk_queue/backoff.hpp"
#include "meterd/disk_queue/delivery_loop.hpp"
#include "temp_dir.hpp"

namespace dq = meterd::disk_queue;
using namespace std::chrono_literals;

namespace {

// A server stand-in that refuses the first `failures` batches, then accepts up to `accept`
// records per batch, and records what it accepted.
class FlakyReceiver : public dq::BatchTransport {
 public:
  FlakyReceiver(int failures, std::size_t accept) : failures_left_(failures), accept_(accept) {}
  dq::DeliveryResult deliver(std::span<const std::string> records) override {
    std::lock_guard lock(mutex_);
    if (failures_left_ > 0) {
      --failures_left_;
      return {0, "connection refused"};
    }
    const std::size_t n = std::min(accept_, records.size());
    received_.insert(received_.end(), records.begin(), records.begin() + static_cast<std::ptrdiff_t>(n));
    return {n, n < records.size() ? "partial" : ""};
  }
  std::vector<std::string> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  std::mutex mutex_;
  int failures_left_;
  std::size_t accept_;
  std::vector<std::string> received_;
};

dq::DeliveryOptions fast_options() {
  dq::DeliveryOptions options;
  options.batch_records = 10;
  options.batch_interval = 20ms;
  options.backoff.initial = 1ms;
  options.backoff.maximum = 8ms;
  options.stop_timeout = 5s;
  return options;
}

}  // namespace

TEST(Backoff, GrowsExponentiallyWithJitterAndCaps) {
  dq::Backoff backoff({100ms, 1000ms, 2.0}, 42);
  const int bases[] = {100, 200, 400, 800, 1000, 1000};
  for (const int base : bases) {
    const auto delay = backoff.next_delay();
    EXPECT_GE(delay.count(), base / 2);
    EXPECT_LE(delay.count(), base);
  }
  EXPECT_EQ(backoff.failures(), 6u);
  backoff.reset();
  EXPECT_LE(backoff.next_delay().count(), 100);
}

TEST(Backoff, JitterSpreadsRetries) {
  dq::Backoff a({1000ms, 60s, 2.0}, 1), b({1000ms, 60s, 2.0}, 2);
  EXPECT_NE(a.next_delay(), b.next_delay());
}

TEST(DeliveryLoop, RetriesUntilAcknowledgedAndDeliversEachRecordOnce) {
  meterd::test_support::TempDir dir;
  dq::DiskQueue queue({dir.path()});
  FlakyReceiver receiver(3, 1000);
  std::atomic<int> failures{0}, recovered{0};
  std::atomic<std::uint64_t> delivered{0};
  dq::DeliveryEvents events;
  events.failed = [&](std::string_view error, std::uint32_t, std::chrono::milliseconds) {
    EXPECT_EQ(error, "connection refused");
    ++failures;
  };
  events.recovered = [&](std::uint32_t attempts) {
    EXPECT_EQ(attempts, 3u);
    ++recovered;
  };
  events.delivered = [&](std::uint64_t n) { delivered += n; };
  dq::DeliveryLoop loop(queue, receiver, fast_options(), events);
  loop.start();
  for (int i = 0; i < 95; ++i) ASSERT_TRUE(loop.enqueue("r" + std::to_string(i)));
  loop.stop();
  const auto received = receiver.received();
  ASSERT_EQ(received.size(), 95u);
  for (int i = 0; i < 95; ++i) EXPECT_EQ(received[static_cast<std::size_t>(i)], "r" + std::to_string(i));
  EXPECT_EQ(failures, 3);
  EXPECT_EQ(recovered, 1);
  EXPECT_EQ(delivered, 95u);
  EXPECT_EQ(queue.pending_records(), 0u);
}

TEST(DeliveryLoop, PartialAcknowledgementsAdvanceWithoutDuplicates) {
  meterd::test_support::TempDir dir;
  dq::DiskQueue queue({dir.path()});
  FlakyReceiver receiver(0, 3);  // accepts only 3 of every batch
  dq::DeliveryLoop loop(queue, receiver, fast_options(), {});
  loop.start();
  for (int i = 0; i < 40; ++i) loop.enqueue("r" + std::to_string(i));
  loop.stop();
  const auto received = receiver.received();
  ASSERT_EQ(received.size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(received[static_cast<std::size_t>(i)], "r" + std::to_string(i));
}

TEST(DeliveryLoop, StopLeavesUndeliveredRecordsOnDiskForTheNextStart) {
  meterd::test_support::TempDir dir;
  {
    dq::DiskQueue queue({dir.path()});
    FlakyReceiver down(1'000'000, 0);
    auto options = fast_options();
    options.stop_timeout = 50ms;
    dq::DeliveryLoop loop(queue, down, options, {});
    loop.start();
    for (int i = 0; i < 25; ++i) loop.enqueue("r" + std::to_string(i));
    loop.stop();
    EXPECT_EQ(queue.pending_records(), 25u);
  }
  dq::DiskQueue queue({dir.path()});
  FlakyReceiver up(0, 1000);
  dq::DeliveryLoop loop(queue, up, fast_options(), {});
  loop.start();
  loop.stop();
  EXPECT_EQ(up.received().size(), 25u);
}

TEST(DeliveryLoop, SendsPartialBatchAfterBatchInterval) {
  meterd::test_support::TempDir dir;
  dq::DiskQueue queue({dir.path()});
  FlakyReceiver receiver(0, 1000);
  auto options = fast_options();
  options.batch_records = 1000;
  options.batch_interval = 50ms;
  dq::DeliveryLoop loop(queue, receiver, options, {});
  loop.start();
  loop.enqueue("lonely");
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (receiver.received().empty() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(receiver.received(), std::vector<std::string>{"lonely"});
}
