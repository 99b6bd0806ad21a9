// Each channel against a real local server: a Python webhook receiver, Debian's aiosmtpd
// with STARTTLS, Debian's mosquitto; each also while the server is down and after it returns.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "alert_engine.hpp"
#include "email_channel.hpp"
#include "mosquitto_server.hpp"
#include "mqtt_channel.hpp"
#include "notice_channel.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"
#include "wait_until.hpp"
#include "webhook_channel.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace meterd::alerts {
namespace {

Notice notice(Notice::Kind kind, const std::string& rule = "high") {
  Notice n;
  n.kind = kind;
  n.rule = rule;
  n.subject = "m1";
  n.condition = "power above 3 kW";
  n.time_ms = 1'780'000'000'000;
  n.since_ms = n.time_ms - 60'000;
  n.episode = 1;
  n.value = 4200;
  n.message = rule + ": meter m1: 4.20 kW (power above 3 kW)";
  return n;
}

disk_queue::BackoffOptions fast_retry() { return {std::chrono::milliseconds(100), std::chrono::milliseconds(400), 2.0}; }

struct Problems {
  std::mutex mutex;
  std::vector<ChannelProblem> seen;
  ChannelWorker::Report report() {
    return [this](const ChannelProblem& p) {
      std::lock_guard lock(mutex);
      seen.push_back(p);
    };
  }
  std::size_t count(bool resolved) {
    std::lock_guard lock(mutex);
    std::size_t c = 0;
    for (const auto& p : seen) c += p.resolved == resolved;
    return c;
  }
};

std::vector<nlohmann::json> json_lines(const fs::path& file) {
  std::vector<nlohmann::json> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

TEST(AlertChannels, WebhookPostsSignedJsonAndRetriesUntilTheReceiverIsBack) {
  test_support::TempDir dir;
  const auto port = test::free_loopback_port();
  WebhookSettings settings;
  settings.url = "http://127.0.0.1:" + std::to_string(port) + "/api/webhook/meterd";
  settings.secret = "s3cret";
  settings.headers = {"Authorization: Bearer token-1"};
  Problems problems;
  ChannelWorker worker(make_webhook_channel(settings, TimeZone::load("Europe/Zurich")), 10, fast_retry(), problems.report());
  worker.start();
  // The receiver is down: the notice waits, the failure is reported once, nothing blocks.
  worker.post(notice(Notice::Kind::fired));
  ASSERT_TRUE(test::wait_until([&] { return problems.count(false) == 1; }, 10s));
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(worker.waiting(), 1u);
  EXPECT_EQ(problems.count(false), 1u) << "a failing server is reported once, not per retry";
  const auto records = dir.path() / "received.jsonl";
  test::ServerProcess receiver({"/usr/bin/python3", METERD_SOURCE_DIR "/tests/alerts/webhook_receiver.py", std::to_string(port),
                                records.string(), "s3cret"},
                               dir.path() / "receiver.log");
  receiver.start();
  ASSERT_TRUE(test::wait_for_port(port, 10s)) << receiver.log();
  ASSERT_TRUE(test::wait_until([&] { return worker.delivered() == 1; }, 15s));
  worker.post(notice(Notice::Kind::resolved));
  ASSERT_TRUE(test::wait_until([&] { return worker.delivered() == 2; }, 15s));
  EXPECT_EQ(problems.count(true), 1u);
  const auto got = json_lines(records);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0]["path"], "/api/webhook/meterd");
  EXPECT_TRUE(got[0]["signature_valid"].get<bool>());
  EXPECT_EQ(got[0]["headers"]["authorization"], "Bearer token-1");
  EXPECT_EQ(got[0]["body"]["rule"], "high");
  EXPECT_EQ(got[0]["body"]["state"], "firing");
  EXPECT_EQ(got[0]["body"]["value"], 4200);
  // Python: datetime.fromtimestamp(1779999940, ZoneInfo("Europe/Zurich")).isoformat()
  EXPECT_EQ(got[0]["body"]["since"], "2026-05-28T22:25:40+02:00");
  EXPECT_EQ(got[1]["body"]["state"], "resolved");
  EXPECT_EQ(got[1]["body"]["priority"], 2);
  worker.stop(1s);
}

TEST(AlertChannels, EmailGoesThroughStartTlsAndWaitsForTheServer) {
  test_support::TempDir dir;
  const auto certs = test::TestCertificates::make(dir.path() / "tls");
  const auto port = test::free_loopback_port();
  EmailSettings settings;
  settings.url = "smtp://127.0.0.1:" + std::to_string(port);
  settings.from = "meterd@example.org";
  settings.to = {"owner@example.org"};
  settings.ca_file = certs.ca.string();
  settings.timeout_ms = 5000;
  Problems problems;
  ChannelWorker worker(make_email_channel(settings, TimeZone::load("Europe/Zurich")), 10, fast_retry(), problems.report());
  worker.start();
  worker.post(notice(Notice::Kind::fired));
  ASSERT_TRUE(test::wait_until([&] { return problems.count(false) == 1; }, 10s));
  const auto maildir = dir.path() / "maildir";
  test::ServerProcess smtp({"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port),
                            "--tlscert", certs.server_cert.string(), "--tlskey", certs.server_key.string(), "-c",
                            "aiosmtpd.handlers.Mailbox", maildir.string()},
                           dir.path() / "smtp.log");
  smtp.start();
  ASSERT_TRUE(test::wait_for_port(port, 15s)) << smtp.log();
  ASSERT_TRUE(test::wait_until([&] { return worker.delivered() == 1; }, 20s)) << smtp.log();
  std::string mail;
  for (const auto& f : fs::directory_iterator(maildir / "new")) {
    std::ifstream in(f.path());
    mail.assign(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_NE(mail.find("Subject: meterd: high firing (m1)"), std::string::npos) << mail;
  EXPECT_NE(mail.find("To: owner@example.org"), std::string::npos) << mail;
  EXPECT_NE(mail.find("4.20 kW"), std::string::npos) << mail;
  worker.stop(1s);
}

TEST(AlertChannels, EmailRefusesAServerWithoutStartTls) {
  test_support::TempDir dir;
  const auto port = test::free_loopback_port();
  test::ServerProcess smtp({"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port), "-c",
                            "aiosmtpd.handlers.Mailbox", (dir.path() / "maildir").string()},
                           dir.path() / "smtp.log");
  smtp.start();
  ASSERT_TRUE(test::wait_for_port(port, 15s)) << smtp.log();
  EmailSettings settings;
  settings.url = "smtp://127.0.0.1:" + std::to_string(port);
  settings.from = "meterd@example.org";
  settings.to = {"owner@example.org"};
  const auto channel = make_email_channel(settings, TimeZone::utc());
  EXPECT_THROW(channel->deliver(notice(Notice::Kind::fired)), std::runtime_error);
  EXPECT_TRUE(fs::is_empty(dir.path() / "maildir" / "new"));
}

TEST(AlertChannels, MqttKeepsARetainedStatePerRuleWithDiscoveryAcrossABrokerRestart) {
  test_support::TempDir dir;
  test::MosquittoServer broker(dir.path() / "broker");
  broker.start();
  MqttChannelSettings settings;
  settings.broker.port = broker.port();
  settings.broker.client_id = "meterd-alerts-test";
  settings.broker.reconnect = fast_retry();
  Problems problems;
  ChannelWorker worker(make_mqtt_channel(settings, {"high", "silent"}, {}, TimeZone::utc()), 10, fast_retry(),
                       problems.report());
  worker.start();
  {
    test::RecordingSubscriber seen(broker.port(), "#");
    worker.post(notice(Notice::Kind::fired));
    ASSERT_TRUE(test::wait_until([&] { return worker.delivered() == 1; }, 15s));
    ASSERT_TRUE(test::wait_until([&] { return seen.count_on("meterd/alerts/high/state") >= 1; }, 10s));
    ASSERT_TRUE(test::wait_until([&] { return seen.count_on("homeassistant/binary_sensor/meterd_alert_silent/config") >= 1; }, 10s));
  }
  broker.stop();
  worker.post(notice(Notice::Kind::resolved));
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(worker.delivered(), 1u) << "nothing can be delivered while the broker is down";
  EXPECT_GE(problems.count(false), 1u);
  broker.start();
  ASSERT_TRUE(test::wait_until([&] { return worker.delivered() == 2; }, 20s));
  // A new subscriber gets the retained state and discovery the channel published again.
  test::RecordingSubscriber after(broker.port(), "#");
  ASSERT_TRUE(test::wait_until([&] { return after.count_on("meterd/alerts/high/state") >= 1; }, 10s));
  std::string state, config;
  for (const auto& m : after.messages()) {
    if (m.topic == "meterd/alerts/high/state") state = m.payload;
    if (m.topic == "homeassistant/binary_sensor/meterd_alert_high/config") config = m.payload;
  }
  EXPECT_EQ(state, "OFF");
  ASSERT_FALSE(config.empty());
  const auto discovery = nlohmann::json::parse(config);
  EXPECT_EQ(discovery["device_class"], "problem");
  EXPECT_EQ(discovery["state_topic"], "meterd/alerts/high/state");
  worker.stop(1s);
}

}  // namespace
}  // namespace meterd::alerts
