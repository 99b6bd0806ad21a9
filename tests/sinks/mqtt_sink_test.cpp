// The mqtt sink against a real mosquitto: topics, discovery, re-announce, broker restart,
// refused login and SIGKILL of the sink process. Readings are counted by their id.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "mosquitto_server.hpp"
#include "sink_host.hpp"
#include "temp_dir.hpp"
#include "test_readings.hpp"
#include "wait_until.hpp"

using namespace meterd::test;
using meterd::test_support::TempDir;
using namespace std::chrono_literals;

namespace {

std::map<std::string, std::string> sink_settings(const MosquittoServer& broker) {
  return {{"port", std::to_string(broker.port())}, {"batch_interval_ms", "50"}, {"retry_initial_ms", "50"},
          {"retry_max_ms", "400"}, {"fsync", "never"}, {"bundle", "true"}};
}

// How often each reading id arrived on the state topic of `meter`.
std::map<std::string, int> state_ids(const RecordingSubscriber& subscriber, const std::string& meter) {
  std::map<std::string, int> ids;
  for (const auto& m : subscriber.messages()) {
    if (m.topic == "meterd/" + meter) ++ids[nlohmann::json::parse(m.payload).at("id").get<std::string>()];
  }
  return ids;
}

void expect_each_once(const std::map<std::string, int>& ids, const std::string& meter, int count) {
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(count));
  int duplicates = 0;
  for (const auto& [id, n] : ids) duplicates += n - 1;
  EXPECT_EQ(duplicates, 0);
  for (int i = 0; i < count; ++i) EXPECT_EQ(ids.count(meter + "-" + std::to_string(i)), 1u) << i;
}

nlohmann::json last_payload(const RecordingSubscriber& subscriber, const std::string& topic) {
  nlohmann::json found;
  for (const auto& m : subscriber.messages()) {
    if (m.topic == topic) found = nlohmann::json::parse(m.payload);
  }
  return found;
}

class MqttSinkTest : public ::testing::Test {
 protected:
  void SetUp() override { broker_.start(); }
  TempDir dir_;
  MosquittoServer broker_{dir_.path() / "broker"};
  LoadedPlugin plugin_{"mqtt"};
};

}  // namespace

TEST_F(MqttSinkTest, PublishesStateSingleValuesBundleAndDiscovery) {
  RecordingSubscriber subscriber(broker_.port(), "#");
  auto hosted = host_sink(plugin_, sink_settings(broker_), dir_.path() / "state");
  hosted.sink->start();
  for (int n = 0; n < 20; ++n) hosted.sink->consume(make_reading("LGZ1", n));
  hosted.sink->stop();
  ASSERT_TRUE(wait_until([&] { return state_ids(subscriber, "LGZ1").size() == 20; }, 5s));
  expect_each_once(state_ids(subscriber, "LGZ1"), "LGZ1", 20);

  const auto state = last_payload(subscriber, "meterd/LGZ1");
  EXPECT_DOUBLE_EQ(state.at("active_energy_import").get<double>(), 5000.19);  // kWh
  EXPECT_EQ(subscriber.count_on("meterd/LGZ1/active_power_import"), 20u);
  EXPECT_EQ(last_payload(subscriber, "dt/meterd/LGZ1/ds").at("meter").at("1-0:1.8.0").get<double>(), 5000190.0);

  const auto energy = last_payload(subscriber, "homeassistant/sensor/meterd_LGZ1/active_energy_import/config");
  EXPECT_EQ(energy.at("device_class"), "energy");
  EXPECT_EQ(energy.at("state_class"), "total_increasing");
  EXPECT_EQ(energy.at("unit_of_measurement"), "kWh");
  EXPECT_EQ(energy.at("state_topic"), "meterd/LGZ1");
  EXPECT_EQ(energy.at("device").at("manufacturer"), "Landis+Gyr");
  const auto power = last_payload(subscriber, "homeassistant/sensor/meterd_LGZ1/active_power_import/config");
  EXPECT_EQ(power.at("device_class"), "power");
  EXPECT_EQ(power.at("state_class"), "measurement");
  EXPECT_EQ(power.at("unit_of_measurement"), "W");
  const auto pf = last_payload(subscriber, "homeassistant/sensor/meterd_LGZ1/power_factor/config");
  EXPECT_EQ(pf.at("device_class"), "power_factor");
  EXPECT_FALSE(pf.contains("unit_of_measurement"));
  // Retained availability: online while running, offline after a clean stop.
  RecordingSubscriber late(broker_.port(), "meterd/status");
  ASSERT_TRUE(wait_until([&] { return !late.messages().empty(); }, 3s));
  EXPECT_EQ(late.messages().back().payload, "offline");
  EXPECT_TRUE(late.messages().back().retained);
}

// What Home Assistant's energy dashboard needs of a meter with PV: the export register as
// "return to grid" (energy, total_increasing, kWh), export power, and a price entity it can take
// as the current price. Values named and classified as the E450 and DSMR sources publish them.
TEST_F(MqttSinkTest, AnnouncesExportRegistersExportPowerAndPricesForTheEnergyDashboard) {
  RecordingSubscriber subscriber(broker_.port(), "#");
  auto hosted = host_sink(plugin_, sink_settings(broker_), dir_.path() / "state");
  hosted.sink->start();
  meterd::v1::Reading grid;
  grid.set_meter_id("LGZ7");
  grid.set_id("LGZ7-0");
  grid.set_received_ms(kFirstReadingMs);
  add_number(grid, "1-0:1.8.0", "active_energy_import", 1'234'567, "Wh");
  add_number(grid, "1-0:2.8.0", "active_energy_export", 765'432, "Wh");
  add_number(grid, "1-0:1.7.0", "active_power_import", 0, "W");
  add_number(grid, "1-0:2.7.0", "active_power_export", 3200, "W");
  add_number(grid, "1-0:22.7.0", "active_power_export_l1", 1100, "W");
  add_number(grid, "1-0:2.8.1", "active_energy_export_t1", 400'000, "Wh");
  hosted.sink->consume(grid);
  // A price source: the price of the quarter hour under way, and an amount of money.
  meterd::v1::Reading tariff;
  tariff.set_meter_id("price-feed");
  tariff.set_id("price-feed-0");
  tariff.set_received_ms(kFirstReadingMs);
  auto* price = add_number(tariff, "", "price", 0.2875, "CHF/kWh");
  price->set_interval_start_ms(kFirstReadingMs - 60'000);
  price->set_interval_end_ms(kFirstReadingMs + 840'000);
  add_number(tariff, "", "cost_today", 3.45, "CHF");
  hosted.sink->consume(tariff);
  const std::string prefix = "homeassistant/sensor/meterd_LGZ7/";
  ASSERT_TRUE(wait_until([&] { return subscriber.count_on("homeassistant/sensor/meterd_price-feed/cost_today/config") == 1; }, 5s));
  ASSERT_TRUE(wait_until([&] { return subscriber.count_on(prefix + "active_energy_export_t1/config") == 1; }, 5s));
  hosted.sink->stop();

  const auto exported = last_payload(subscriber, prefix + "active_energy_export/config");
  EXPECT_EQ(exported.at("device_class"), "energy");
  EXPECT_EQ(exported.at("state_class"), "total_increasing");
  EXPECT_EQ(exported.at("unit_of_measurement"), "kWh");
  EXPECT_EQ(exported.at("name"), "Energy export (1-0:2.8.0)");
  EXPECT_EQ(exported.at("unique_id"), "meterd_LGZ7_active_energy_export");
  EXPECT_EQ(exported.at("value_template"), "{{ value_json['active_energy_export'] }}");
  const auto imported = last_payload(subscriber, prefix + "active_energy_import/config");
  EXPECT_EQ(imported.at("name"), "Energy import (1-0:1.8.0)");
  EXPECT_NE(imported.at("unique_id"), exported.at("unique_id"));
  EXPECT_EQ(imported.at("state_class"), "total_increasing");
  const auto export_power = last_payload(subscriber, prefix + "active_power_export/config");
  EXPECT_EQ(export_power.at("device_class"), "power");
  EXPECT_EQ(export_power.at("state_class"), "measurement");
  EXPECT_EQ(export_power.at("unit_of_measurement"), "W");
  EXPECT_EQ(export_power.at("name"), "Power export (1-0:2.7.0)");
  EXPECT_EQ(last_payload(subscriber, prefix + "active_power_export_l1/config").at("name"), "Power export L1 (1-0:22.7.0)");
  const auto tariff_export = last_payload(subscriber, prefix + "active_energy_export_t1/config");
  EXPECT_EQ(tariff_export.at("name"), "Energy export T1 (1-0:2.8.1)");
  EXPECT_EQ(tariff_export.at("state_class"), "total_increasing");
  // The state the templates read: export in kWh.
  EXPECT_DOUBLE_EQ(last_payload(subscriber, "meterd/LGZ7").at("active_energy_export").get<double>(), 765.432);

  const auto price_config = last_payload(subscriber, "homeassistant/sensor/meterd_price-feed/price/config");
  ASSERT_FALSE(price_config.is_null());
  EXPECT_EQ(price_config.at("unit_of_measurement"), "CHF/kWh");
  EXPECT_EQ(price_config.at("state_class"), "measurement");
  EXPECT_FALSE(price_config.contains("device_class"));  // "monetary" takes a currency, not a price per kWh
  EXPECT_EQ(price_config.at("name"), "Price");
  EXPECT_DOUBLE_EQ(last_payload(subscriber, "meterd/price-feed").at("price").get<double>(), 0.2875);
  const auto money = last_payload(subscriber, "homeassistant/sensor/meterd_price-feed/cost_today/config");
  EXPECT_EQ(money.at("device_class"), "monetary");
  EXPECT_EQ(money.at("state_class"), "total");
  EXPECT_EQ(money.at("unit_of_measurement"), "CHF");
}

TEST_F(MqttSinkTest, HomeAssistantBirthMessageReannouncesDiscoveryThenState) {
  RecordingSubscriber subscriber(broker_.port(), "#");
  auto hosted = host_sink(plugin_, sink_settings(broker_), dir_.path() / "state");
  hosted.sink->start();
  hosted.sink->consume(make_reading("m1", 0));
  const std::string config = "homeassistant/sensor/meterd_m1/voltage_l1/config";
  ASSERT_TRUE(wait_until([&] { return subscriber.count_on(config) == 1; }, 5s));
  const auto states_before = subscriber.count_on("meterd/m1");
  subscriber.publish("homeassistant/status", "online", false);
  ASSERT_TRUE(wait_until([&] { return subscriber.count_on(config) == 2; }, 5s));
  ASSERT_TRUE(wait_until([&] { return subscriber.count_on("meterd/m1") == states_before + 1; }, 5s));
  hosted.sink->stop();
}

TEST_F(MqttSinkTest, BrokerRestartDeliversEveryReadingOnce) {
  // The subscriber keeps a persistent session on a broker that saves it over the restart: what
  // the sink delivers before the subscriber is back is held for it, as it would be for a
  // consumer between hosts (docs/multi-host.md), so no delivery can slip past the check.
  MosquittoServer broker(dir_.path() / "restart-broker", "", /*persistent=*/true);
  broker.start();
  RecordingSubscriber subscriber(broker.port(), "meterd/m1", "restart-subscriber");
  auto hosted = host_sink(plugin_, sink_settings(broker), dir_.path() / "state");
  hosted.sink->start();
  broker.stop();
  for (int n = 0; n < 300; ++n) hosted.sink->consume(make_reading("m1", n));
  ASSERT_TRUE(wait_until([&] { return hosted.context->has_diagnostic("delivery_failed", "MQTT broker"); }, 10s));
  // Nothing can be delivered while the broker is down, so the whole backlog is queued.
  EXPECT_EQ(hosted.context->counters().queue_depth, 300u);
  broker.start();
  ASSERT_TRUE(wait_until([&] { return state_ids(subscriber, "m1").size() == 300; }, 30s));
  ASSERT_TRUE(wait_until([&] { return hosted.context->counters().queue_depth == 0; }, 10s));
  hosted.sink->stop();
  expect_each_once(state_ids(subscriber, "m1"), "m1", 300);
  EXPECT_EQ(hosted.context->counters().drops, 0u);
  EXPECT_TRUE(hosted.context->has_diagnostic("delivery_resumed"));
}

TEST_F(MqttSinkTest, KilledSinkWithQueuedReadingsDeliversEachOnceAfterRestart) {
  broker_.stop();
  const auto state = dir_.path() / "state";
  std::vector<std::string> args = {SINK_RUNNER_PATH, "mqtt", state.string(), "m1", "0", "500"};
  for (const auto& [key, value] : sink_settings(broker_)) args.push_back(key + "=" + value);
  {
    ServerProcess runner(args, dir_.path() / "runner1.log");
    runner.start();
    ASSERT_TRUE(wait_until([&] { return runner.log().find("consumed 500") != std::string::npos; }, 20s)) << runner.log();
    runner.kill();
  }
  broker_.start();
  RecordingSubscriber subscriber(broker_.port(), "meterd/m1");
  args[5] = "0";
  ServerProcess restarted(args, dir_.path() / "runner2.log");
  restarted.start();
  ASSERT_TRUE(wait_until([&] { return state_ids(subscriber, "m1").size() == 500; }, 30s)) << restarted.log();
  restarted.stop();
  expect_each_once(state_ids(subscriber, "m1"), "m1", 500);
}

TEST(MqttSinkAuth, RefusedLoginIsReportedAndReadingsStayQueued) {
  TempDir dir;
  MosquittoServer broker(dir.path() / "broker", "right");
  broker.start();
  LoadedPlugin plugin("mqtt");
  auto settings = sink_settings(broker);
  settings["username"] = "meterd";
  settings["password"] = "wrong";
  settings["stop_timeout_ms"] = "100";
  auto hosted = host_sink(plugin, settings, dir.path() / "state");
  hosted.sink->start();
  for (int n = 0; n < 5; ++n) hosted.sink->consume(make_reading("m1", n));
  ASSERT_TRUE(wait_until([&] { return hosted.context->has_diagnostic("delivery_failed", "refused the login"); }, 10s));
  hosted.sink->stop();
  EXPECT_EQ(hosted.context->counters().drops, 0u);
  EXPECT_EQ(hosted.context->counters().out, 0u);
}
