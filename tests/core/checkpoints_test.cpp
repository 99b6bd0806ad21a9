// The bookkeeping of end-to-end acknowledgements: which sinks a source waits for, cumulative
// acknowledgements, a failed sink and a timeout.
#include <gtest/gtest.h>

#include <thread>

#include "meterd/runtime/checkpoints.hpp"

using meterd::Checkpoints;
using namespace std::chrono_literals;

TEST(Checkpoints, MarkerTopicsNameTheirSource) {
  EXPECT_EQ(Checkpoints::topic("csv"), "C/ck/csv/");
  EXPECT_EQ(Checkpoints::source_of("C/ck/csv/"), "csv");
  EXPECT_EQ(Checkpoints::source_of("C/eos/123"), "");
  EXPECT_EQ(Checkpoints::source_of("R/csv/e450"), "");
}

TEST(Checkpoints, WaitsForEverySinkThatReceivesTheSource) {
  Checkpoints c;
  c.add_sink(0, {});
  c.add_sink(1, {"other"});  // does not receive "csv": not waited for
  c.add_sink(2, {"csv"});
  const auto n = c.next("csv");
  EXPECT_FALSE(c.wait("csv", n, 20ms));
  c.acknowledge(0, "csv", n);
  EXPECT_FALSE(c.wait("csv", n, 20ms)) << "sink 2 has not acknowledged";
  std::thread later([&] {
    std::this_thread::sleep_for(30ms);
    c.acknowledge(2, "csv", n + 5);  // a later checkpoint covers the earlier ones
  });
  EXPECT_TRUE(c.wait("csv", n, 5s));
  later.join();
}

TEST(Checkpoints, AFailedSinkFailsTheCheckpointInsteadOfHangingIt) {
  Checkpoints c;
  c.add_sink(0, {});
  c.add_sink(1, {});
  const auto n = c.next("csv");
  c.acknowledge(0, "csv", n);
  std::thread later([&] {
    std::this_thread::sleep_for(30ms);
    c.sink_failed(1);
  });
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_FALSE(c.wait("csv", n, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 4s) << "a failure ends the wait at once";
  later.join();
}

TEST(Checkpoints, NoReceivingSinkMeansNothingToWaitFor) {
  Checkpoints c;
  c.add_sink(0, {"other"});
  EXPECT_TRUE(c.wait("csv", c.next("csv"), 0ms));
}
