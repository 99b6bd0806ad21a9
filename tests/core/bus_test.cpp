#include "meterd/runtime/bus.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "meterd/v1/bus.pb.h"

using namespace meterd;

namespace {
v1::Reading reading(const std::string& meter, int n) {
  v1::Reading r;
  r.set_meter_id(meter);
  r.set_sequence(n);
  auto* v = r.add_values();
  v->set_obis("1-0:1.7.0");
  v->set_number(n);
  return r;
}

int drain(BusSubscriber& sub, std::vector<BusMessage>& out, int idle_ms = 300) {
  BusMessage m;
  while (sub.receive(m, idle_ms)) out.push_back(std::move(m));
  return static_cast<int>(out.size());
}
}  // namespace

TEST(Bus, SubscribersReceiveOnlyTheirTopicsInOrder) {
  Bus bus({});
  auto all = bus.subscribe({"R/"});
  auto kitchen = bus.subscribe({"R/kitchen/"});
  auto diag = bus.subscribe({"D/"});
  bus.start();
  for (int i = 1; i <= 100; ++i) {
    ASSERT_TRUE(bus.publish(i % 2 ? "R/kitchen/M1" : "R/garage/M2", reading(i % 2 ? "M1" : "M2", i)));
  }
  v1::Diagnostic d;
  d.set_code("x");
  ASSERT_TRUE(bus.publish("D/kitchen", d));
  std::vector<BusMessage> got_all, got_kitchen, got_diag;
  EXPECT_EQ(drain(*all, got_all), 100);
  EXPECT_EQ(drain(*kitchen, got_kitchen), 50);
  EXPECT_EQ(drain(*diag, got_diag), 1);
  int last = 0;
  for (auto& m : got_all) {
    v1::Reading r;
    ASSERT_TRUE(r.ParseFromArray(m.payload.data(), static_cast<int>(m.payload.size())));
    EXPECT_GT(static_cast<int>(r.sequence()), last);
    last = static_cast<int>(r.sequence());
  }
  EXPECT_EQ(bus.drops(), 0u);
}

// Subscriptions reach the publisher asynchronously; start() waits for them, so a source that
// publishes at once (an import, a backfill) loses nothing to a sink that just subscribed.
TEST(Bus, StartWaitsUntilEverySubscriberIsAttached) {
  Bus bus({});
  std::vector<std::unique_ptr<BusSubscriber>> subs;
  for (int i = 0; i < 8; ++i) subs.push_back(bus.subscribe({"C/eos/", "R/"}));
  bus.start();
  for (int i = 1; i <= 1000; ++i) ASSERT_TRUE(bus.publish("R/a/M1", reading("M1", i)));
  for (auto& sub : subs) {
    std::vector<BusMessage> got;
    EXPECT_EQ(drain(*sub, got), 1000);
  }
}

TEST(Bus, FullSubscriberQueueIsCountedAsDropsNeverSilently) {
  BusOptions o;
  o.high_water_mark = 10;
  o.block_ms = 5;
  Bus bus(o);
  auto slow = bus.subscribe({"R/"});  // never reads while we publish
  int dropped_seen = 0;
  bus.on_drop([&](std::string_view) { ++dropped_seen; });
  int ok = 0;
  for (int i = 0; i < 500; ++i) ok += bus.publish("R/s/M", reading("M", i)) ? 1 : 0;
  EXPECT_GT(bus.drops(), 0u);
  EXPECT_EQ(bus.drops(), static_cast<std::uint64_t>(500 - ok));
  EXPECT_EQ(dropped_seen, 500 - ok);
  std::vector<BusMessage> got;
  EXPECT_EQ(drain(*slow, got), ok) << "every message not counted as dropped must arrive";
}

TEST(Bus, ExportAndImportCrossProcessesOverTcp) {
  BusOptions pi;
  pi.export_endpoints = {"tcp://127.0.0.1:47911"};
  pi.export_wait_ms = 5000;
  Bus pi_bus(pi);
  BusOptions server;
  server.import_endpoints = {"tcp://127.0.0.1:47911"};
  Bus server_bus(server);
  auto sink = server_bus.subscribe({"R/"});
  server_bus.start();
  pi_bus.start();  // waits until the server's forwarder has subscribed
  for (int i = 1; i <= 1000; ++i) ASSERT_TRUE(pi_bus.publish("R/pi/M", reading("M", i)));
  std::vector<BusMessage> got;
  EXPECT_EQ(drain(*sink, got, 1000), 1000);
  EXPECT_EQ(server_bus.forwarded(), 1000u);
  server_bus.stop();
}
