// The mqtt source against a real mosquitto started by the test: each payload format, the
// round trip from the mqtt sink, bad input, a persistent session across a stop, and a flood.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "meterd/sink/value_kind.hpp"
#include "mosquitto_server.hpp"
#include "mqtt_source.hpp"
#include "recording_context.hpp"
#include "running_source.hpp"
#include "sink_host.hpp"
#include "temp_dir.hpp"
#include "test_readings.hpp"
#include "wait_until.hpp"

using namespace meterd;
using namespace meterd::test;
using meterd::test_support::TempDir;
using meterd::test_support::RecordingContext;
using meterd::test_support::RunningSource;
using namespace std::chrono_literals;

namespace {

std::string data_file(const std::string& name) {
  std::ifstream in(std::string(METERD_SOURCE_DIR) + "/tests/mqtt_source/data/" + name);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

const v1::Value* value_of(const v1::Reading& reading, const std::string& quantity) {
  for (const auto& v : reading.values()) {
    if (v.quantity() == quantity) return &v;
  }
  return nullptr;
}

void expect_value(const v1::Reading& reading, const std::string& quantity, const std::string& obis, double number,
                  const std::string& unit) {
  const v1::Value* v = value_of(reading, quantity);
  ASSERT_NE(v, nullptr) << quantity << " missing in " << reading.DebugString();
  EXPECT_EQ(v->obis(), obis) << quantity;
  EXPECT_NEAR(v->number(), number, 1e-9) << quantity;
  EXPECT_EQ(v->unit(), unit) << quantity;
}

class MqttSourceTest : public ::testing::Test {
 protected:
  using Settings = std::multimap<std::string, std::string>;
  std::unique_ptr<RecordingContext> context(Settings settings, const std::string& name = "in") {
    settings.emplace("port", std::to_string(broker_.port()));
    settings.emplace("retry_initial_ms", "50");
    settings.emplace("retry_max_ms", "300");
    return std::make_unique<RecordingContext>(&mqtt_source::describe_source_options, settings, name, dir_.path() / name);
  }
  // Starts the source and waits until its subscription is in place (the broker then keeps
  // the session, so later messages wait for it even while it is stopped).
  std::unique_ptr<RunningSource> start(RecordingContext& ctx, const std::string& probe_topic) {
    auto running = std::make_unique<RunningSource>(std::make_unique<mqtt_source::MqttSource>(ctx));
    EXPECT_TRUE(wait_until(
        [&] {
          publisher_.publish(probe_topic, "probe-not-json", false);
          return ctx.counters().in.load() > 0;
        },
        10s))
        << "the source never subscribed";
    return running;
  }

  TempDir dir_;
  MosquittoServer broker_{dir_.path() / "broker"};
  RecordingSubscriber publisher_{(broker_.start(), broker_.port()), "unused/publisher"};
};

}  // namespace

TEST_F(MqttSourceTest, TasmotaSmlWithDefaultKeysAndLocalTime) {
  auto ctx = context({{"format", "tasmota"}, {"time_zone", "Europe/Zurich"}});
  auto running = start(*ctx, "tele/probe/SENSOR");
  publisher_.publish("tele/hichi/SENSOR", data_file("tasmota_sml.json"), false);
  ASSERT_TRUE(ctx->wait_for_readings(1, 10s)) << ctx->dump_diagnostics();
  const auto r = ctx->readings().at(0);
  EXPECT_EQ(r.meter_id(), "0a0149534b0005a1b2c3");  // Meter_Id wins over the topic's device
  EXPECT_EQ(r.meter_time_ms(), 1'709'290'805'000);  // 12:00:05 in Zurich = 11:00:05Z
  expect_value(r, "active_energy_import", "1-0:1.8.0", 12345.6789, "kWh");
  expect_value(r, "active_energy_export", "1-0:2.8.0", 321.0002, "kWh");
  expect_value(r, "active_power_net", "1-0:16.7.0", -345, "W");
  expect_value(r, "active_power_net_l2", "1-0:56.7.0", -120, "W");
  expect_value(r, "voltage_l3", "1-0:72.7.0", 230.4, "V");
  expect_value(r, "current_l1", "1-0:31.7.0", 0.43, "A");
  EXPECT_EQ(r.id(), "in/0a0149534b0005a1b2c3/1709290805000");
}

TEST_F(MqttSourceTest, TasmotaOwnGroupNameAndMappedKeys) {
  auto ctx = context({{"format", "tasmota"},
                      {"tasmota_group", "Strom"},
                      {"time_zone", "UTC"},
                      {"field", "/Strom/Verbrauch 1-0:1.8.0 Wh->kWh"}});
  auto running = start(*ctx, "tele/probe/SENSOR");
  publisher_.publish("tele/keller/SENSOR", R"({"Time":"2024-03-01T12:00:00","Strom":{"Verbrauch":1500000,"Power_curr":250}})",
                     false);
  ASSERT_TRUE(ctx->wait_for_readings(1, 10s)) << ctx->dump_diagnostics();
  const auto r = ctx->readings().at(0);
  EXPECT_EQ(r.meter_id(), "keller");  // no Meter_Id: the device level of the topic
  expect_value(r, "active_energy_import", "1-0:1.8.0", 1500, "kWh");
  expect_value(r, "active_power_net", "1-0:16.7.0", 250, "W");
}

TEST_F(MqttSourceTest, AmsReaderClassicJson) {
  auto ctx = context({{"format", "ams"}, {"topic", "ams/a1b2/json"}});
  auto running = start(*ctx, "ams/a1b2/json");
  publisher_.publish("ams/a1b2/json", data_file("ams_json_classic.json"), false);
  ASSERT_TRUE(ctx->wait_for_readings(1, 10s)) << ctx->dump_diagnostics();
  const auto r = ctx->readings().at(0);
  EXPECT_EQ(r.meter_id(), "7359992890941742");
  EXPECT_EQ(r.meter_time_ms(), 1'709'294'400'000);  // the meter's clock (rtc), not the reader's t
  expect_value(r, "active_power_import", "1-0:1.7.0", 1520, "W");
  expect_value(r, "reactive_power_export", "1-0:4.7.0", 214, "var");
  expect_value(r, "current_l3", "1-0:71.7.0", 3.27, "A");
  expect_value(r, "voltage_l2", "1-0:52.7.0", 231.1, "V");
  expect_value(r, "active_energy_import", "1-0:1.8.0", 4711.125, "kWh");
  expect_value(r, "reactive_energy_export", "1-0:4.8.0", 380, "kvarh");
}

TEST_F(MqttSourceTest, SmlReaderTopicPerObisCode) {
  auto ctx = context({{"format", "smlreader"}, {"receive_time", "true"}});
  auto running = start(*ctx, "iot/smartmeter/sensor/probe/obis/x");
  publisher_.publish("iot/smartmeter/sensor/1/obis/1-0:1.8.0/255/value", "12345678.9", false);
  publisher_.publish("iot/smartmeter/sensor/1/obis/1-0:16.7.0/255/value", "412", false);
  publisher_.publish("iot/smartmeter/sensor/1/obis/1-0:96.50.1/1/value", "454d48", false);  // manufacturer: not a value
  ASSERT_TRUE(ctx->wait_for_readings(2, 10s)) << ctx->dump_diagnostics();
  ASSERT_FALSE(ctx->wait_for_readings(3, 500ms));
  const auto readings = ctx->readings();
  EXPECT_EQ(readings[0].meter_id(), "1");
  EXPECT_FALSE(readings[0].has_meter_time_ms());
  EXPECT_GT(readings[0].received_ms(), 1'700'000'000'000);
  expect_value(readings[0], "active_energy_import", "1-0:1.8.0", 12345678.9, "Wh");
  expect_value(readings[1], "active_power_net", "1-0:16.7.0", 412, "W");
}

TEST_F(MqttSourceTest, HomeAssistantAndEsphomeSingleValueTopics) {
  auto ctx = context({{"format", "single_value"},
                      {"receive_time", "true"},
                      {"meter_id_topic_level", "1"},
                      {"value_topic", "esphome/+/sensor/energy/state 1-0:1.8.0 Wh->kWh"},
                      {"value_topic", "homeassistant/+/house_power/state 1-0:1.7.0 kW->W"}});
  auto running = start(*ctx, "esphome/probe/sensor/energy/state");
  publisher_.publish("esphome/garage/sensor/energy/state", "1234567", false);
  publisher_.publish("homeassistant/sensor/house_power/state", "1.25", false);
  publisher_.publish("esphome/garage/sensor/energy/state", "unavailable", false);
  ASSERT_TRUE(ctx->wait_for_readings(2, 10s)) << ctx->dump_diagnostics();
  // The probe and "unavailable": not numbers (reported once, both counted).
  ASSERT_TRUE(wait_until([&] { return ctx->counters().errors.load() >= 2; }, 5s)) << ctx->dump_diagnostics();
  EXPECT_EQ(ctx->count_code("bad_number"), 1u);
  const auto readings = ctx->readings();
  EXPECT_EQ(readings[0].meter_id(), "garage");
  expect_value(readings[0], "active_energy_import", "1-0:1.8.0", 1234.567, "kWh");
  EXPECT_EQ(readings[1].meter_id(), "sensor");
  expect_value(readings[1], "active_power_import", "1-0:1.7.0", 1250, "W");
  EXPECT_EQ(ctx->reading_count(), 2u);
}

TEST_F(MqttSourceTest, AnyJsonThroughTheMapping) {
  auto ctx = context({{"format", "json"},
                      {"topic", "lab/+/data"},
                      {"time_field", "/ts"},
                      {"time_format", "unix_ms"},
                      {"meter_id_field", "/meter"},
                      {"field", "/e 1-0:1.8.0 Wh->kWh"},
                      {"field", "/p active_power_import kW->W"}});
  auto running = start(*ctx, "lab/probe/data");
  publisher_.publish("lab/x/data", R"({"ts":1709294400000,"meter":"M7","e":{"value":5000,"unit":"Wh"},"p":1.5})", false);
  ASSERT_TRUE(ctx->wait_for_readings(1, 10s)) << ctx->dump_diagnostics();
  const auto r = ctx->readings().at(0);
  EXPECT_EQ(r.meter_id(), "M7");
  EXPECT_EQ(r.meter_time_ms(), 1'709'294'400'000);
  expect_value(r, "active_energy_import", "1-0:1.8.0", 5, "kWh");
  expect_value(r, "active_power_import", "1-0:1.7.0", 1500, "W");
}

// Each kind of bad message gets its diagnostic and gives no reading; a flood of one kind is
// reported once (rate-limited) and counted; a good message afterwards still comes through.
TEST_F(MqttSourceTest, BadInputIsReportedNeverStored) {
  // Retained before the source subscribes: the broker hands it over at subscribe time.
  publisher_.publish("lab/stale/data", R"({"meter":"M7","e":{"value":1,"unit":"Wh"}})", true);
  auto ctx = context({{"format", "json"},
                      {"topic", "lab/+/data"},
                      {"time_field", "/ts"},
                      {"time_format", "unix_ms"},
                      {"receive_time", "true"},
                      {"meter_id_field", "/meter"},
                      {"meters", "M7"},
                      {"field", "/e 1-0:1.8.0 Wh->kWh"}});
  auto running = start(*ctx, "lab/probe/data");
  ASSERT_TRUE(ctx->wait_for_code("retained_stale", 1, 10s)) << ctx->dump_diagnostics();
  for (int i = 0; i < 50; ++i) publisher_.publish("lab/x/data", "{not json", false);
  publisher_.publish("lab/x/data", R"({"ts":1709294400000,"meter":"M7","e":{"value":5,"unit":"kWh"}})", false);
  publisher_.publish("lab/x/data", R"({"ts":1709294400000,"meter":"M9","e":{"value":5,"unit":"Wh"}})", false);
  publisher_.publish("lab/x/data", R"({"ts":1709294405000,"meter":"M7","e":{"value":"lots","unit":"Wh"}})", false);
  publisher_.publish("lab/x/data", R"({"ts":1709294410000,"meter":"M7","e":{"value":7000,"unit":"Wh"}})", false);
  ASSERT_TRUE(ctx->wait_for_readings(1, 10s)) << ctx->dump_diagnostics();
  ASSERT_TRUE(ctx->wait_for_code("bad_number", 1, 5s)) << ctx->dump_diagnostics();
  EXPECT_FALSE(ctx->wait_for_readings(2, 500ms));
  EXPECT_EQ(ctx->count_code("bad_json"), 1u) << ctx->dump_diagnostics();
  EXPECT_EQ(ctx->count_code("unit_mismatch"), 1u) << ctx->dump_diagnostics();
  EXPECT_EQ(ctx->count_code("unknown_meter"), 1u) << ctx->dump_diagnostics();
  EXPECT_GE(ctx->counters().errors.load(), 54u);
  const auto r = ctx->readings().at(0);
  EXPECT_EQ(r.meter_time_ms(), 1'709'294'410'000);
  expect_value(r, "active_energy_import", "1-0:1.8.0", 7, "kWh");
}

TEST_F(MqttSourceTest, MessageWithoutTimeIsRefusedUnlessReceiveTimeIsAllowed) {
  auto ctx = context({{"format", "json"}, {"topic", "lab/+/data"}, {"time_field", "/ts"}, {"meter_id", "M7"},
                      {"field", "/p 1-0:1.7.0 W"}});
  auto running = start(*ctx, "lab/probe/data");
  publisher_.publish("lab/x/data", R"({"p":100})", false);
  ASSERT_TRUE(ctx->wait_for_code("no_time", 1, 10s)) << ctx->dump_diagnostics();
  EXPECT_EQ(ctx->reading_count(), 0u);
}

// meterd's own state payload: the mqtt sink publishes, the source reads. Each reading
// arrives once with its id and its values in the sink's units, although the sink sends
// every reading twice here (what at-least-once delivery does after a crash).
TEST_F(MqttSourceTest, RoundTripFromTheMqttSinkKeepsIdsAndDropsDuplicates) {
  auto ctx = context({{"format", "meterd"}});
  auto running = start(*ctx, "meterd/probe");
  LoadedPlugin sink_plugin("mqtt");
  auto hosted = host_sink(sink_plugin,
                          {{"port", std::to_string(broker_.port())}, {"batch_interval_ms", "50"}, {"fsync", "never"},
                           {"discovery", "false"}},
                          dir_.path() / "sink");
  hosted.sink->start();
  constexpr int kCount = 40;
  for (int pass = 0; pass < 2; ++pass) {
    for (int n = 0; n < kCount; ++n) hosted.sink->consume(make_reading("LGZ1", n));
  }
  hosted.sink->stop();
  ASSERT_TRUE(ctx->wait_for_readings(kCount, 10s)) << ctx->dump_diagnostics();
  EXPECT_FALSE(ctx->wait_for_readings(kCount + 1, 1s)) << "a duplicate id came through";
  const auto readings = ctx->readings();
  for (int n = 0; n < kCount; ++n) {
    const v1::Reading& got = readings.at(static_cast<std::size_t>(n));
    const v1::Reading sent = make_reading("LGZ1", n);
    EXPECT_EQ(got.id(), sent.id());
    EXPECT_EQ(got.meter_id(), sent.meter_id());
    EXPECT_EQ(got.meter_time_ms(), sent.received_ms());  // the sink's "time" is the reading's time
    ASSERT_EQ(got.values_size(), sent.values_size());
    for (const auto& v : sent.values()) {
      const auto kind = sink::classify_value(v.obis(), v.quantity(), v.unit());
      const auto normalized = sink::normalize_unit(kind.kind, v.number(), v.unit());
      expect_value(got, v.quantity(), v.obis(), normalized.value, normalized.unit);
    }
  }
}

// Published while the source was stopped: the broker kept them for the persistent session.
TEST_F(MqttSourceTest, MessagesPublishedWhileStoppedArriveAfterRestart) {
  auto first = context({{"format", "tasmota"}, {"time_zone", "UTC"}});
  start(*first, "tele/probe/SENSOR").reset();
  constexpr int kCount = 100;
  for (int i = 0; i < kCount; ++i) {
    char payload[160];
    std::snprintf(payload, sizeof payload, R"({"Time":"2024-03-01T12:%02d:%02d","SML":{"Total_in":%d.5,"Power_curr":%d}})",
                  i / 60, i % 60, 1000 + i, i);
    publisher_.publish("tele/hichi/SENSOR", payload, false);
  }
  auto second = context({{"format", "tasmota"}, {"time_zone", "UTC"}});
  RunningSource running(std::make_unique<mqtt_source::MqttSource>(*second));
  ASSERT_TRUE(second->wait_for_readings(kCount, 15s)) << second->dump_diagnostics();
  const auto readings = second->readings();
  for (int i = 0; i < kCount; ++i) {
    expect_value(readings.at(static_cast<std::size_t>(i)), "active_power_net", "1-0:16.7.0", i, "W");
  }
}

// Far more messages than the inbox may hold: reading from the broker pauses while it is
// full, the broker keeps the rest (its queue unbounded, as docs/multi-host.md asks), and every
// message arrives in order.
TEST_F(MqttSourceTest, FloodIsAbsorbedWithBackPressure) {
  auto ctx = context({{"format", "smlreader"}, {"receive_time", "true"}, {"inbox_max", "20"}});
  auto running = start(*ctx, "iot/smartmeter/sensor/probe/obis/x");
  constexpr int kCount = 5000;
  for (int i = 0; i < kCount; ++i) {
    publisher_.publish("iot/smartmeter/sensor/flood/obis/1-0:1.7.0/255/value", std::to_string(i), false);
  }
  ASSERT_TRUE(ctx->wait_for_readings(kCount, 60s)) << ctx->reading_count() << " in " << ctx->counters().in.load() << "\n" << ctx->dump_diagnostics();
  EXPECT_EQ(ctx->counters().drops.load(), 0u);
  const auto readings = ctx->readings();
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(readings[static_cast<std::size_t>(i)].values(0).number(), i);
}

TEST(MqttSourceOptions, RefusesWhatCannotWorkWithTheFix) {
  const auto refusal = [](std::multimap<std::string, std::string> settings) -> std::string {
    boost::program_options::options_description desc;
    mqtt_source::describe_source_options(desc);
    boost::program_options::parsed_options parsed(&desc);
    for (const auto& [key, value] : settings) parsed.options.emplace_back(key, std::vector<std::string>{value});
    boost::program_options::variables_map vm;
    boost::program_options::store(parsed, vm);
    boost::program_options::notify(vm);
    try {
      mqtt_source::check_options(vm);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_NE(refusal({{"format", "json"}, {"topic", "a/b"}, {"meter_id", "M"}, {"time_field", "/t"},
                     {"field", "/x 1-0:1.8.0 W"}}).find("unit 'W' does not fit 1-0:1.8.0"), std::string::npos);
  EXPECT_NE(refusal({{"format", "smlreader"}}).find("set receive_time = true"), std::string::npos);
  EXPECT_NE(refusal({{"format", "json"}, {"meter_id", "M"}, {"field", "/x 1-0:1.8.0 kWh"}}).find("option 'topic'"),
            std::string::npos);
  EXPECT_NE(refusal({{"format", "json"}, {"topic", "a/b"}, {"meter_id", "M"}, {"field", "/x 1-0:1.8.0 kWh"}})
                .find("option 'time_field'"),
            std::string::npos);
  EXPECT_NE(refusal({{"format", "single_value"}, {"receive_time", "true"}, {"meter_id", "M"},
                     {"value_topic", "a/b nonsense W"}}).find("neither an OBIS code"),
            std::string::npos);
  EXPECT_NE(refusal({{"cert_file", "/c.pem"}}).find("give both"), std::string::npos);
  EXPECT_EQ(refusal({{"format", "tasmota"}}), "accepted");
  EXPECT_EQ(refusal({{"format", "meterd"}}), "accepted");
}

// A broker that admits only clients with a certificate from its CA and the right password,
// over TLS: the source with both gets the readings; with a wrong password, or without its
// certificate, it gets none and says why.
TEST(MqttSourceTls, ClientCertificateAndPasswordOverTls) {
  TempDir dir;
  const auto certs = TestCertificates::make(dir.path() / "certs");
  MosquittoServer broker(dir.path() / "broker", certs, "tls-test-password");
  broker.start();
  RecordingSubscriber publisher(broker.port(), "unused/publisher");
  const auto context = [&](const std::string& name, const std::string& password, bool with_certificate) {
    std::multimap<std::string, std::string> settings{
        {"format", "tasmota"}, {"time_zone", "UTC"}, {"port", std::to_string(broker.tls_port())},
        {"tls", "true"}, {"ca_file", certs.ca.string()}, {"username", "meterd"}, {"password", password},
        {"retry_initial_ms", "200"}, {"retry_max_ms", "500"}};
    if (with_certificate) {
      settings.emplace("cert_file", certs.client_cert.string());
      settings.emplace("key_file", certs.client_key.string());
    }
    return std::make_unique<RecordingContext>(&mqtt_source::describe_source_options, settings, name, dir.path() / name);
  };
  auto good = context("good", "tls-test-password", true);
  auto wrong_password = context("wrong", "guess", true);
  auto no_certificate = context("nocert", "tls-test-password", false);
  RunningSource a(std::make_unique<mqtt_source::MqttSource>(*good));
  RunningSource b(std::make_unique<mqtt_source::MqttSource>(*wrong_password));
  RunningSource c(std::make_unique<mqtt_source::MqttSource>(*no_certificate));
  ASSERT_TRUE(wait_until(
      [&] {
        publisher.publish("tele/hichi/SENSOR", R"({"Time":"2024-03-01T12:00:00","SML":{"Total_in":1.5}})", false);
        return good->readings().size() > 0;
      },
      15s))
      << good->dump_diagnostics();
  EXPECT_EQ(good->readings().at(0).meter_id(), "hichi");
  const auto warned = [](const RecordingContext& ctx) {
    for (const auto& d : ctx.diagnostics())
      if (d.code == "broker_unreachable") return true;
    return false;
  };
  // The source warns once a broker has stayed away for 5 s.
  EXPECT_TRUE(wait_until([&] { return warned(*wrong_password) && warned(*no_certificate); }, 15s))
      << wrong_password->dump_diagnostics() << no_certificate->dump_diagnostics();
  EXPECT_TRUE(wrong_password->readings().empty());
  EXPECT_TRUE(no_certificate->readings().empty());
  EXPECT_NE(wrong_password->dump_diagnostics().find("refused the login"), std::string::npos) << wrong_password->dump_diagnostics();
}
