// The influxdb sink against a real influxd: round trip, outages, refused logins, TLS, and
// SIGKILL of the sink process with readings queued. Counts are exact: InfluxDB overwrites a
// point with the same series and timestamp, so replays must not change them.
#include <gtest/gtest.h>

#include <fstream>

#include "influx_server.hpp"
#include "sink_host.hpp"
#include "temp_dir.hpp"
#include "test_readings.hpp"
#include "wait_until.hpp"

using namespace meterd::test;
using meterd::test_support::TempDir;
using namespace std::chrono_literals;

namespace {

std::map<std::string, std::string> sink_settings(const InfluxServer& server) {
  return {{"url", server.url()},          {"database", "meterd"},        {"batch_size", "200"},
          {"batch_interval_ms", "100"},   {"retry_initial_ms", "50"},     {"retry_max_ms", "400"},
          {"fsync", "never"}};
}

std::int64_t power_points(const InfluxServer& server, const std::string& meter) {
  return server.count("SELECT count(value) FROM power WHERE meter='" + meter + "'", "meterd");
}

class InfluxSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<InfluxServer>(dir_.path() / "influx");
    server_->start();
    server_->query("CREATE DATABASE meterd");
  }
  TempDir dir_;
  std::unique_ptr<InfluxServer> server_;
  LoadedPlugin plugin_{"influxdb"};
};

}  // namespace

TEST_F(InfluxSinkTest, WritesEveryReadingReadableBack) {
  auto hosted = host_sink(plugin_, sink_settings(*server_), dir_.path() / "state");
  hosted.sink->start();
  for (int n = 0; n < 300; ++n) hosted.sink->consume(make_reading("m1", n));
  hosted.sink->stop();
  EXPECT_EQ(power_points(*server_, "m1"), 300);
  const std::string energy = server_->query("SELECT last(value) FROM energy WHERE meter='m1'", "meterd");
  EXPECT_NE(energy.find("5002.99"), std::string::npos) << energy;  // 5'000'000 Wh + 299*10 Wh in kWh
  EXPECT_EQ(hosted.context->counters().out, 300u);
  EXPECT_EQ(hosted.context->counters().drops, 0u);
}

TEST_F(InfluxSinkTest, EscapedTagsAndStringFieldsRoundTrip) {
  auto hosted = host_sink(plugin_, sink_settings(*server_), dir_.path() / "state");
  hosted.sink->start();
  meterd::v1::Reading reading = make_reading("meter one,a=b", 1);
  auto* text = reading.add_values();
  text->set_obis("0-0:96.13.0");
  text->set_text("say \"hello\", \\ world=1");
  hosted.sink->consume(reading);
  hosted.sink->stop();
  EXPECT_EQ(server_->count("SELECT count(value) FROM power WHERE meter='meter one,a=b'", "meterd"), 1);
  const std::string info = server_->query("SELECT text FROM meter_info", "meterd");
  EXPECT_NE(info.find(R"(say \"hello\", \\ world=1)"), std::string::npos) << info;
}

TEST_F(InfluxSinkTest, ServerOutageIsReportedAndEveryReadingArrivesOnce) {
  auto hosted = host_sink(plugin_, sink_settings(*server_), dir_.path() / "state");
  hosted.sink->start();
  for (int n = 0; n < 100; ++n) hosted.sink->consume(make_reading("m1", n));
  ASSERT_TRUE(wait_until([&] { return power_points(*server_, "m1") == 100; }, 10s));
  server_->stop();
  for (int n = 100; n < 600; ++n) hosted.sink->consume(make_reading("m1", n));
  ASSERT_TRUE(wait_until([&] { return hosted.context->has_diagnostic("delivery_failed", "cannot reach InfluxDB"); }, 10s));
  // The core publishes queue_depth from the counters: during the outage it shows the backlog,
  // the 500 new readings plus those of the first batch if the server died before its 204 arrived.
  EXPECT_GE(hosted.context->counters().queue_depth, 500u);
  EXPECT_LE(hosted.context->counters().queue_depth, 600u);
  server_->start();
  ASSERT_TRUE(wait_until([&] { return power_points(*server_, "m1") >= 600; }, 20s));
  ASSERT_TRUE(wait_until([&] { return hosted.context->counters().queue_depth == 0; }, 10s));
  hosted.sink->stop();
  EXPECT_EQ(power_points(*server_, "m1"), 600);
  EXPECT_TRUE(hosted.context->has_diagnostic("delivery_resumed"));
  EXPECT_EQ(hosted.context->counters().drops, 0u);
  EXPECT_EQ(hosted.context->counters().queue_depth, 0u);
}

TEST_F(InfluxSinkTest, KilledSinkWithQueuedReadingsDeliversThemExactlyOnceAfterRestart) {
  server_->stop();  // readings can only queue up
  const auto state = dir_.path() / "state";
  std::vector<std::string> args = {SINK_RUNNER_PATH, "influxdb", state.string(), "m1", "0", "1000"};
  for (const auto& [key, value] : sink_settings(*server_)) args.push_back(key + "=" + value);
  {
    ServerProcess runner(args, dir_.path() / "runner1.log");
    runner.start();
    ASSERT_TRUE(wait_until([&] { return runner.log().find("consumed 1000") != std::string::npos; }, 20s)) << runner.log();
    runner.kill();  // SIGKILL with 1000 readings queued
  }
  server_->start();
  args[5] = "0";  // the restarted process adds nothing new: everything comes from the queue
  ServerProcess restarted(args, dir_.path() / "runner2.log");
  restarted.start();
  ASSERT_TRUE(wait_until([&] { return power_points(*server_, "m1") >= 1000; }, 30s)) << restarted.log();
  restarted.stop();
  EXPECT_EQ(power_points(*server_, "m1"), 1000);
  EXPECT_NE(restarted.log().find("queue_resumed 1000 readings"), std::string::npos) << restarted.log();
}

TEST_F(InfluxSinkTest, KilledDuringDeliveryLosesNothingAndDuplicatesNothing) {
  const auto state = dir_.path() / "state";
  std::vector<std::string> args = {SINK_RUNNER_PATH, "influxdb", state.string(), "m1", "0", "20000"};
  for (const auto& [key, value] : sink_settings(*server_)) args.push_back(key + "=" + value);
  {
    ServerProcess runner(args, dir_.path() / "runner1.log");
    runner.start();
    ASSERT_TRUE(wait_until([&] { return runner.log().find("consumed 20000") != std::string::npos; }, 60s));
    ASSERT_TRUE(wait_until([&] { return power_points(*server_, "m1") > 1000; }, 30s)) << runner.log();
    runner.kill();  // in the middle of delivering
  }
  const auto delivered_before_kill = power_points(*server_, "m1");
  args[4] = "20000";
  args[5] = "0";
  ServerProcess restarted(args, dir_.path() / "runner2.log");
  restarted.start();
  ASSERT_TRUE(wait_until([&] { return power_points(*server_, "m1") >= 20000; }, 60s)) << restarted.log();
  restarted.stop();
  EXPECT_LT(delivered_before_kill, 20000) << "the kill came too late to interrupt delivery";
  EXPECT_EQ(power_points(*server_, "m1"), 20000) << "before kill: " << delivered_before_kill;
}

TEST_F(InfluxSinkTest, UnknownDatabaseIsReportedAndRetriedNotDropped) {
  auto settings = sink_settings(*server_);
  settings["database"] = "missing_db";
  auto hosted = host_sink(plugin_, settings, dir_.path() / "state");
  hosted.sink->start();
  for (int n = 0; n < 10; ++n) hosted.sink->consume(make_reading("m1", n));
  ASSERT_TRUE(wait_until([&] { return hosted.context->has_diagnostic("delivery_failed", "HTTP 404"); }, 10s));
  server_->query("CREATE DATABASE missing_db");
  ASSERT_TRUE(wait_until([&] { return server_->count("SELECT count(value) FROM power", "missing_db") == 10; }, 10s));
  hosted.sink->stop();
}

TEST_F(InfluxSinkTest, UnreachableServerIsReportedWithoutCrashOrLoss) {
  auto settings = sink_settings(*server_);
  settings["url"] = "http://127.0.0.1:" + std::to_string(free_loopback_port());
  settings["stop_timeout_ms"] = "100";
  auto hosted = host_sink(plugin_, settings, dir_.path() / "state");
  hosted.sink->start();
  for (int n = 0; n < 5; ++n) hosted.sink->consume(make_reading("m1", n));
  ASSERT_TRUE(wait_until([&] { return hosted.context->has_diagnostic("delivery_failed", "cannot reach InfluxDB"); }, 10s));
  hosted.sink->stop();
  EXPECT_EQ(hosted.context->counters().drops, 0u);
  EXPECT_EQ(hosted.context->counters().out, 0u);
}

TEST(InfluxSinkOptions, BadUrlIsAConfigurationError) {
  TempDir dir;
  LoadedPlugin plugin("influxdb");
  try {
    host_sink(plugin, {{"url", "influx.local:8086"}}, dir.path());
    FAIL() << "expected a configuration error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'url'"), std::string::npos);
  }
}

TEST(InfluxSinkAuth, RefusedLoginIsReportedThenCorrectPasswordDelivers) {
  TempDir dir;
  InfluxServer server(dir.path() / "influx", {.auth = true, .tls_cert_file = {}});
  server.start();
  server.query("CREATE DATABASE meterd");
  LoadedPlugin plugin("influxdb");
  auto settings = sink_settings(server);
  settings["username"] = "admin";
  settings["password"] = "wrong";
  settings["stop_timeout_ms"] = "100";
  {
    auto hosted = host_sink(plugin, settings, dir.path() / "state");
    hosted.sink->start();
    for (int n = 0; n < 20; ++n) hosted.sink->consume(make_reading("m1", n));
    ASSERT_TRUE(wait_until([&] { return hosted.context->has_diagnostic("delivery_failed", "HTTP 401"); }, 10s));
    EXPECT_TRUE(hosted.context->has_diagnostic("delivery_failed", "check username/password"));
    hosted.sink->stop();
  }
  settings["password"] = "secret";  // fixed config, same queue: the 20 readings go through
  auto hosted = host_sink(plugin, settings, dir.path() / "state");
  hosted.sink->start();
  ASSERT_TRUE(wait_until([&] { return power_points(server, "m1") == 20; }, 10s));
  hosted.sink->stop();
}

TEST(InfluxSinkTls, CertificateIsCheckedAndCaFileAccepted) {
  TempDir dir;
  const auto pem = dir.path() / "server.pem";
  const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
                              "-addext subjectAltName=IP:127.0.0.1 -keyout " + pem.string() + " -out " +
                              pem.string() + ".crt >/dev/null 2>&1 && cat " + pem.string() + ".crt >> " + pem.string();
  ASSERT_EQ(std::system(command.c_str()), 0);
  InfluxServer server(dir.path() / "influx", {.auth = false, .tls_cert_file = pem});
  server.start();
  server.query("CREATE DATABASE meterd");
  LoadedPlugin plugin("influxdb");
  auto settings = sink_settings(server);
  settings["stop_timeout_ms"] = "100";
  {
    auto hosted = host_sink(plugin, settings, dir.path() / "state");
    hosted.sink->start();
    hosted.sink->consume(make_reading("m1", 1));
    ASSERT_TRUE(wait_until([&] { return hosted.context->has_diagnostic("delivery_failed", "certificate"); }, 10s));
    hosted.sink->stop();
  }
  settings["ca_file"] = pem.string() + ".crt";
  auto hosted = host_sink(plugin, settings, dir.path() / "state");
  hosted.sink->start();
  ASSERT_TRUE(wait_until([&] { return power_points(server, "m1") == 1; }, 10s));
  hosted.sink->stop();
}
