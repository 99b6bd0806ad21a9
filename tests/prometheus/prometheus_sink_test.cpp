// The prometheus plugin hosted in-process: readings and counters Diagnostics go in through the
// Sink interface, the page comes out of a real socket, and every scrape is checked line by line
// by the independent parser before its values are compared.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

#include "exposition_parser.hpp"
#include "http_probe.hpp"
#include "sink_host.hpp"
#include "temp_dir.hpp"
#include "test_readings.hpp"
#include "wait_until.hpp"

using namespace meterd::test;
using meterd::test_support::TempDir;
using namespace std::chrono_literals;

namespace {

meterd::v1::Diagnostic counters(const std::string& source, const std::map<std::string, double>& values) {
  meterd::v1::Diagnostic d;
  d.set_code("counters");
  d.set_source(source);
  d.set_severity(meterd::v1::Diagnostic::INFO);
  for (const auto& [key, value] : values) (*d.mutable_counters())[key] = value;
  return d;
}

meterd::v1::Diagnostic diagnostic(const std::string& source, const std::string& code,
                                  meterd::v1::Diagnostic::Severity severity) {
  meterd::v1::Diagnostic d;
  d.set_code(code);
  d.set_source(source);
  d.set_severity(severity);
  d.set_message("test");
  return d;
}

void add_value(meterd::v1::Reading& reading, const std::string& obis, const std::string& quantity, double number,
               const std::string& unit) {
  auto* value = reading.add_values();
  value->set_obis(obis);
  value->set_quantity(quantity);
  value->set_number(number);
  value->set_unit(unit);
}

class PrometheusSinkTest : public ::testing::Test {
 protected:
  // Hosts the plugin on a free port and learns the port from its "listening" Diagnostic.
  void host(double staleness_seconds = 300, const std::string& path = "/metrics", const std::string& roles = "",
            int price_valid_min = 60) {
    hosted_ = host_sink(plugin_, {{"listen", "127.0.0.1:0"}, {"path", path},
                                  {"staleness_seconds", std::to_string(staleness_seconds)}, {"meter_roles", roles},
                                  {"price_valid_min", std::to_string(price_valid_min)}},
                        dir_.path() / "state");
    ASSERT_TRUE(hosted_.sink->wants_diagnostics());
    hosted_.sink->start();
    for (const auto& d : hosted_.context->diagnostics()) {
      std::smatch match;
      if (d.code == "listening" && std::regex_search(d.message, match, std::regex(R"(127\.0\.0\.1:(\d+)/)"))) {
        port_ = static_cast<unsigned short>(std::stoi(match[1]));
      }
    }
    ASSERT_NE(port_, 0) << "no listening diagnostic with the port";
  }

  void TearDown() override {
    if (hosted_.sink) hosted_.sink->stop();
  }

  // One scrape, which must be a valid exposition page served with the 0.0.4 content type.
  Exposition scrape() {
    const HttpReply reply = http_get(port_, "/metrics");
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    try {
      return parse_exposition(reply.body);
    } catch (const ExpositionError& e) {
      ADD_FAILURE() << e.what() << "\n" << reply.body;
      return {};
    }
  }

  TempDir dir_;
  LoadedPlugin plugin_{"prometheus"};
  HostedSink hosted_;
  unsigned short port_ = 0;
};

}  // namespace

TEST_F(PrometheusSinkTest, ReadingsBecomeGaugesAndEnergyCountersWithMeterObisQuantityAndPhase) {
  host();
  hosted_.sink->consume(make_reading("m1", 1));
  hosted_.sink->consume(make_reading("m2", 2));
  meterd::v1::Reading extra;
  extra.set_meter_id("m1");
  add_value(extra, "1-0:31.7.0", "current_l1", 4.5, "A");
  add_value(extra, "1-0:2.7.0", "active_power_export", 1.5, "kW");
  add_value(extra, "1-0:16.8.0", "active_energy_net", -12.5, "kWh");
  add_value(extra, "1-0:14.7.0", "frequency", 50.01, "Hz");
  add_value(extra, "", "temperature", 21.5, "°C");
  hosted_.sink->consume(extra);

  const Exposition page = scrape();
  EXPECT_EQ(page.value("meterd_power_watts", {{"meter", "m1"}, {"obis", "1-0:1.7.0"}, {"quantity", "active_power_import"}}),
            1001.0);
  EXPECT_EQ(page.value("meterd_power_watts", {{"meter", "m1"}, {"quantity", "active_power_export"}}), 1500.0);  // kW -> W
  EXPECT_EQ(page.value("meterd_power_watts", {{"meter", "m2"}, {"quantity", "active_power_import"}}), 1002.0);
  // 5'000'000 Wh + 2 * 10 Wh, in kWh, as a counter.
  EXPECT_DOUBLE_EQ(*page.value("meterd_energy_active_kwh_total", {{"meter", "m2"}, {"obis", "1-0:1.8.0"}}), 5000.02);
  EXPECT_EQ(page.family("meterd_energy_active_kwh_total")->type, "counter");
  EXPECT_EQ(page.family("meterd_power_watts")->type, "gauge");
  EXPECT_DOUBLE_EQ(*page.value("meterd_voltage_volts", {{"meter", "m1"}, {"phase", "L1"}}), 230.1);
  EXPECT_EQ(page.value("meterd_current_amperes", {{"meter", "m1"}, {"phase", "L1"}, {"quantity", "current_l1"}}), 4.5);
  EXPECT_EQ(page.value("meterd_power_factor", {{"meter", "m1"}}), 0.95);
  EXPECT_EQ(page.value("meterd_frequency_hertz", {{"meter", "m1"}}), 50.01);
  // A register that may decrease is a gauge, never a counter.
  EXPECT_EQ(page.value("meterd_energy_active_net_kwh", {{"meter", "m1"}}), -12.5);
  EXPECT_EQ(page.family("meterd_energy_active_net_kwh")->type, "gauge");
  EXPECT_EQ(page.value("meterd_value", {{"meter", "m1"}, {"quantity", "temperature"}, {"unit", "°C"}}), 21.5);
  // Totals carry no phase label at all.
  for (const Sample& s : page.samples("meterd_power_watts")) EXPECT_EQ(s.labels.count("phase"), 0u) << s.labels.at("quantity");
  const auto age = page.value("meterd_last_reading_age_seconds", {{"meter", "m1"}});
  ASSERT_TRUE(age.has_value());
  EXPECT_GE(*age, 0.0);
  EXPECT_LT(*age, 10.0);
  EXPECT_EQ(hosted_.context->counters().out, 3u);
}

TEST_F(PrometheusSinkTest, LatestValueReplacesTheSeriesInsteadOfAddingOne) {
  host();
  for (int n = 0; n < 50; ++n) hosted_.sink->consume(make_reading("m1", n));
  const Exposition page = scrape();
  EXPECT_EQ(page.samples("meterd_power_watts").size(), 1u);
  EXPECT_EQ(page.value("meterd_power_watts", {{"meter", "m1"}}), 1049.0);
  EXPECT_DOUBLE_EQ(*page.value("meterd_energy_active_kwh_total", {{"meter", "m1"}}), 5000.49);
}

TEST_F(PrometheusSinkTest, IntervalEnergyFromHistoryImportsIsNotALatestValue) {
  host();
  meterd::v1::Reading history;
  history.set_meter_id("hist");
  add_value(history, "1-0:1.8.0", "active_energy_import", 0.25, "kWh");
  history.mutable_values(0)->set_interval_start_ms(kFirstReadingMs);
  history.mutable_values(0)->set_interval_end_ms(kFirstReadingMs + 900'000);
  hosted_.sink->consume(history);
  Exposition page = scrape();
  EXPECT_TRUE(page.samples("meterd_energy_active_kwh_total", {{"meter", "hist"}}).empty());
  EXPECT_FALSE(page.value("meterd_last_reading_age_seconds", {{"meter", "hist"}}).has_value());
  EXPECT_EQ(hosted_.context->counters().out, 0u);

  // Mixed in a live reading, only the interval value is left out.
  meterd::v1::Reading mixed = make_reading("live", 1);
  *mixed.add_values() = history.values(0);
  hosted_.sink->consume(mixed);
  page = scrape();
  EXPECT_EQ(page.samples("meterd_energy_active_kwh_total", {{"meter", "live"}}).size(), 1u);
  EXPECT_DOUBLE_EQ(*page.value("meterd_energy_active_kwh_total", {{"meter", "live"}}), 5000.01);
}

TEST_F(PrometheusSinkTest, CountersDiagnosticsBecomeHealthMetrics) {
  host();
  using Sev = meterd::v1::Diagnostic;
  hosted_.sink->consume(counters("sink.influx", {{"in", 120}, {"out", 100}, {"errors", 3}, {"drops", 1}, {"queue_depth", 19}}));
  hosted_.sink->consume(counters("source.kitchen", {{"in", 7}, {"out", 6}, {"errors", 1}, {"drops", 0}, {"queue_depth", 0},
                                                    {"frames_ok", 40}, {"frames_bad", 2}, {"decode_errors", 5}}));
  hosted_.sink->consume(counters("bus", {{"published", 500}, {"drops", 4}, {"forwarded", 0}}));
  hosted_.sink->consume(diagnostic("source.kitchen", "crc_error", Sev::WARNING));
  hosted_.sink->consume(diagnostic("source.kitchen", "crc_error", Sev::WARNING));
  hosted_.sink->consume(diagnostic("sink.influx", "delivery_failed", Sev::WARNING));
  // A later report replaces the earlier one.
  hosted_.sink->consume(counters("sink.influx", {{"in", 130}, {"out", 130}, {"errors", 3}, {"drops", 1}, {"queue_depth", 0}}));

  const Exposition page = scrape();
  EXPECT_EQ(page.value("meterd_plugin_items_total", {{"instance", "sink.influx"}, {"direction", "in"}}), 130.0);
  EXPECT_EQ(page.value("meterd_plugin_items_total", {{"instance", "sink.influx"}, {"direction", "out"}}), 130.0);
  EXPECT_EQ(page.value("meterd_plugin_items_total", {{"instance", "sink.influx"}, {"direction", "errors"}}), 3.0);
  EXPECT_EQ(page.value("meterd_plugin_items_total", {{"instance", "sink.influx"}, {"direction", "drops"}}), 1.0);
  EXPECT_EQ(page.value("meterd_plugin_items_total", {{"instance", "source.kitchen"}, {"direction", "in"}}), 7.0);
  EXPECT_EQ(page.value("meterd_sink_queue_depth", {{"instance", "sink.influx"}}), 0.0);
  EXPECT_FALSE(page.value("meterd_sink_queue_depth", {{"instance", "source.kitchen"}}).has_value());
  EXPECT_EQ(page.value("meterd_bus_messages_total", {{"result", "published"}}), 500.0);
  EXPECT_EQ(page.value("meterd_bus_messages_total", {{"result", "dropped"}}), 4.0);
  EXPECT_EQ(page.value("meterd_bus_messages_total", {{"result", "forwarded"}}), 0.0);
  EXPECT_EQ(page.value("meterd_source_frames_total", {{"instance", "source.kitchen"}, {"result", "ok"}}), 40.0);
  EXPECT_EQ(page.value("meterd_source_frames_total", {{"instance", "source.kitchen"}, {"result", "bad"}}), 2.0);
  EXPECT_EQ(page.value("meterd_source_decode_errors_total", {{"instance", "source.kitchen"}}), 5.0);
  EXPECT_FALSE(page.value("meterd_source_frames_total", {{"instance", "sink.influx"}, {"result", "ok"}}).has_value());
  EXPECT_EQ(page.value("meterd_diagnostics_total",
                       {{"instance", "source.kitchen"}, {"code", "crc_error"}, {"severity", "warning"}}),
            2.0);
  EXPECT_EQ(page.value("meterd_diagnostics_total", {{"instance", "sink.influx"}, {"code", "delivery_failed"}}), 1.0);
  // The "counters" reports themselves are not counted as diagnostics.
  EXPECT_TRUE(page.samples("meterd_diagnostics_total", {{"code", "counters"}}).empty());
}

TEST_F(PrometheusSinkTest, SilentMeterDisappearsWhileALiveOneStays) {
  host(0.6);
  hosted_.sink->consume(make_reading("silent", 1));
  hosted_.sink->consume(make_reading("live", 1));
  Exposition page = scrape();
  ASSERT_TRUE(page.value("meterd_power_watts", {{"meter", "silent"}}).has_value());
  ASSERT_TRUE(page.value("meterd_last_reading_age_seconds", {{"meter", "silent"}}).has_value());
  for (int n = 2; n < 12; ++n) {
    std::this_thread::sleep_for(100ms);
    hosted_.sink->consume(make_reading("live", n));
  }
  page = scrape();
  for (const Family& family : page.families) {
    for (const Sample& sample : family.samples) {
      EXPECT_NE(sample.labels.count("meter") ? sample.labels.at("meter") : "", "silent") << sample.name;
    }
  }
  EXPECT_EQ(page.value("meterd_power_watts", {{"meter", "live"}}), 1011.0);
  EXPECT_LT(*page.value("meterd_last_reading_age_seconds", {{"meter", "live"}}), 0.6);
  // A meter that speaks again is exported again.
  hosted_.sink->consume(make_reading("silent", 99));
  EXPECT_EQ(scrape().value("meterd_power_watts", {{"meter", "silent"}}), 1099.0);
}

TEST_F(PrometheusSinkTest, MeterIdWithQuotesBackslashesAndNewlineIsEscapedAndReadsBack) {
  host();
  const std::string meter = "a\"b\\c\nd {x=\"1\"}";
  hosted_.sink->consume(make_reading(meter, 1));
  const HttpReply reply = http_get(port_, "/metrics");
  EXPECT_NE(reply.body.find(R"(meter="a\"b\\c\nd {x=\"1\"}")"), std::string::npos) << reply.body;
  const Exposition page = parse_exposition(reply.body);
  EXPECT_EQ(page.value("meterd_power_watts", {{"meter", meter}}), 1001.0);
  EXPECT_EQ(page.value("meterd_last_reading_age_seconds", {{"meter", meter}}).has_value(), true);
}

TEST_F(PrometheusSinkTest, InvalidUtf8InAMeterIdDoesNotBreakTheScrape) {
  host();
  hosted_.sink->consume(make_reading(std::string("bad\xff\xfe") + "id", 1));
  const Exposition page = scrape();
  EXPECT_EQ(page.value("meterd_power_watts", {{"meter", "bad\xEF\xBF\xBD\xEF\xBF\xBDid"}}), 1001.0);
}

TEST_F(PrometheusSinkTest, WrongPathIs404WrongMethodIs405HeadWorks) {
  host();
  EXPECT_EQ(http_get(port_, "/other").status, 404);
  EXPECT_EQ(http_get(port_, "/metrics/extra").status, 404);
  const HttpReply post = http_exchange(
      port_, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  EXPECT_EQ(post.status, 405);
  ASSERT_EQ(post.headers.count("allow"), 1u);
  EXPECT_NE(post.headers.at("allow").find("GET"), std::string::npos);
  EXPECT_EQ(http_get(port_, "/metrics", "DELETE").status, 405);
  const HttpReply head = http_get(port_, "/metrics", "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(http_exchange(port_, "GARBAGE\r\n\r\n").status, 400);
  // The server keeps serving after all of that.
  EXPECT_EQ(http_get(port_, "/metrics").status, 200);
}

TEST_F(PrometheusSinkTest, ConfiguredPathIsServedAndTheDefaultIsNot) {
  host(300, "/custom/prom");
  hosted_.sink->consume(make_reading("m1", 1));
  const HttpReply reply = http_get(port_, "/custom/prom");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(parse_exposition(reply.body).value("meterd_power_watts", {{"meter", "m1"}}), 1001.0);
  EXPECT_EQ(http_get(port_, "/metrics").status, 404);
}

TEST_F(PrometheusSinkTest, ScrapesWhileTheSinkThreadWritesAreAlwaysValid) {
  host();
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int n = 0; !done; ++n) {
      hosted_.sink->consume(make_reading("m" + std::to_string(n % 30), n));
      if (n % 7 == 0) hosted_.sink->consume(counters("sink.x", {{"in", double(n)}, {"queue_depth", double(n % 5)}}));
    }
  });
  int scrapes = 0;
  for (; scrapes < 40; ++scrapes) {
    const HttpReply reply = http_get(port_, "/metrics");
    ASSERT_EQ(reply.status, 200);
    EXPECT_NO_THROW(parse_exposition(reply.body)) << reply.body;
  }
  done = true;
  writer.join();
  EXPECT_EQ(scrape().samples("meterd_power_watts").size(), 30u);
}

TEST_F(PrometheusSinkTest, BadOptionsAreRefusedWithTheOptionNamed) {
  const auto refused = [&](const std::map<std::string, std::string>& settings, const std::string& option) {
    try {
      host_sink(plugin_, settings, dir_.path() / "bad");
      ADD_FAILURE() << "accepted " << option;
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(option), std::string::npos) << e.what();
    }
  };
  refused({{"listen", "localhost"}}, "listen");
  refused({{"listen", "127.0.0.1:70000"}}, "listen");
  refused({{"staleness_seconds", "0"}}, "staleness_seconds");
  refused({{"price_valid_min", "5"}}, "price_valid_min");
  refused({{"listen", "127.0.0.1:0"}, {"path", "metrics"}}, "path");
}

// A grid meter and a PV meter reporting every minute since midnight (UTC, the zone of the
// hosted context): the house always uses 1 kW, the roof gives 1.25 kW in even quarters and
// 0.25 kW in odd ones, so today's ratios follow from the quarters the test itself counts.
TEST_F(PrometheusSinkTest, RoleMetersGiveTodaysSelfSufficiencyAndTheCurrentFlows) {
  host(300, "/metrics", "grid=grid, pv=pv, hp=heat_pump");
  constexpr std::int64_t kQuarter = 900'000, kMinute = 60'000;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count();
  const std::int64_t midnight = now - now % 86'400'000;
  if (now - midnight < 2 * kQuarter) GTEST_SKIP() << "needs a whole quarter of today behind it; run after 00:30 UTC";
  double import = 10'000, exported = 20'000, pv = 30'000;
  double self = 0, consumption = 0, production = 0;
  const std::int64_t end = now - now % kMinute;
  for (std::int64_t t = midnight; t <= end; t += kMinute) {
    const bool sunny = (t / kQuarter) % 2 == 0;
    const double made = (sunny ? 1250.0 : 250.0) / 60, used = 1000.0 / 60;
    const double direct = std::min(made, used);
    meterd::v1::Reading g, p;
    g.set_meter_id("grid");
    g.set_meter_time_ms(t);
    add_value(g, "1-0:1.8.0", "active_energy_import", import / 1000, "kWh");
    add_value(g, "1-0:2.8.0", "active_energy_export", exported / 1000, "kWh");
    add_value(g, "1-0:1.7.0", "active_power_import", (used - direct) * 60, "W");
    add_value(g, "1-0:2.7.0", "active_power_export", (made - direct) * 60, "W");
    p.set_meter_id("pv");
    p.set_meter_time_ms(t);
    add_value(p, "1-0:2.8.0", "active_energy_export", pv, "Wh");
    add_value(p, "1-0:2.7.0", "active_power_export", made * 60, "W");
    hosted_.sink->consume(g);
    hosted_.sink->consume(p);
    if (t + kMinute <= end - end % kQuarter) {  // inside the whole quarters the readings span
      self += direct;
      consumption += used;
      production += made;
    }
    import += used - direct;
    exported += made - direct;
    pv += made;
  }
  const Exposition page = scrape();
  ASSERT_TRUE(page.value("meterd_self_sufficiency_ratio", {}).has_value());
  EXPECT_NEAR(*page.value("meterd_self_sufficiency_ratio", {}), self / consumption, 1e-6);
  EXPECT_NEAR(*page.value("meterd_self_consumption_ratio", {}), self / production, 1e-6);
  EXPECT_NEAR(*page.value("meterd_balance_today_kwh", {{"flow", "consumption"}}), consumption / 1000, 1e-6);
  EXPECT_NEAR(*page.value("meterd_balance_today_kwh", {{"flow", "production"}}),
              *page.value("meterd_balance_today_kwh", {{"flow", "self_consumed"}}) +
                  *page.value("meterd_balance_today_kwh", {{"flow", "fed_in"}}),
              1e-9);
  const double coverage = *page.value("meterd_balance_coverage_ratio", {});
  EXPECT_GT(coverage, 0.9 * static_cast<double>(end - end % kQuarter - midnight) / static_cast<double>(now - midnight));
  EXPECT_LE(coverage, 1.0);
  // The last minute's powers: 1 kW in the house, whatever the sun does.
  EXPECT_NEAR(*page.value("meterd_power_flow_watts", {{"flow", "consumption"}}), 1000, 1e-6);
  const bool sunny = (end / kQuarter) % 2 == 0;
  EXPECT_NEAR(*page.value("meterd_power_flow_watts", {{"flow", "grid"}}), sunny ? -250 : 750, 1e-6);
  EXPECT_NEAR(*page.value("meterd_power_flow_watts", {{"flow", "production"}}), sunny ? 1250 : 250, 1e-6);
}

TEST_F(PrometheusSinkTest, WithoutRolesThereIsNoBalance) {
  host();
  hosted_.sink->consume(make_reading("m1", 1));
  const Exposition page = scrape();
  EXPECT_FALSE(page.family("meterd_self_sufficiency_ratio"));
  EXPECT_FALSE(page.family("meterd_power_flow_watts"));
}

namespace {
// A price as the price_feed source publishes it: at the start of its interval.
meterd::v1::Reading price_reading(const std::string& meter, std::int64_t start_ms, double price, const std::string& unit) {
  meterd::v1::Reading r;
  r.set_meter_id(meter);
  r.set_meter_time_ms(start_ms);
  r.set_id(meter + ":price:" + std::to_string(start_ms));
  add_value(r, "", "price", price, unit);
  return r;
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
}  // namespace

// A day-ahead answer: the hours from the one under way to 36 h ahead, published in order, so
// the newest reading is tomorrow evening's price. The page shows the price of the present hour.
TEST_F(PrometheusSinkTest, DayAheadPricesShowThePriceValidNowNotTheNewest) {
  host();
  constexpr std::int64_t kHour = 3'600'000;
  std::int64_t now = wall_ms();
  if (now % kHour > kHour - 10'000) {  // not across an hour's end while the test runs
    std::this_thread::sleep_for(std::chrono::milliseconds(kHour - now % kHour + 100));
    now = wall_ms();
  }
  const std::int64_t hour = now - now % kHour;
  const auto price_of = [&](std::int64_t start) { return 0.05 + static_cast<double>((start - hour) / kHour) * 0.01; };
  for (std::int64_t start = hour - 2 * kHour; start <= hour + 36 * kHour; start += kHour)
    hosted_.sink->consume(price_reading("spot", start, price_of(start), "EUR/kWh"));
  hosted_.sink->consume(make_reading("m1", 1));
  const Exposition page = scrape();
  const auto shown = page.value("meterd_energy_price_per_kwh", {{"meter", "spot"}, {"currency", "EUR"}});
  ASSERT_TRUE(shown.has_value());
  EXPECT_NEAR(*shown, price_of(hour), 1e-12);
  // Prices are not meter values: no generic series, and the feed is no meter with an age.
  EXPECT_FALSE(page.value("meterd_value", {{"meter", "spot"}}));
  EXPECT_FALSE(page.value("meterd_last_reading_age_seconds", {{"meter", "spot"}}));
  EXPECT_TRUE(page.value("meterd_last_reading_age_seconds", {{"meter", "m1"}}));
  EXPECT_EQ(hosted_.context->counters().out.load(), 37u + 2u + 1u);  // every price and the meter's reading changed the page
}

// The feed's last price started 90 minutes ago and nothing newer came: with the prices valid
// for an hour (as the dashboard, which then reports price_feed_stale) the feed is not shown,
// while a live feed of another meter still is. A longer validity keeps showing it.
TEST_F(PrometheusSinkTest, PricesOfAFeedThatStoppedAreNotShown) {
  host(300, "/metrics", "", 60);
  const std::int64_t now = wall_ms();
  hosted_.sink->consume(price_reading("stopped", now - 150 * 60'000, 0.31, "CHF/kWh"));
  hosted_.sink->consume(price_reading("stopped", now - 90 * 60'000, 0.32, "CHF/kWh"));
  hosted_.sink->consume(price_reading("live", now - 10 * 60'000, 0.25, "CHF/kWh"));
  Exposition page = scrape();
  EXPECT_FALSE(page.value("meterd_energy_price_per_kwh", {{"meter", "stopped"}}));
  EXPECT_NEAR(*page.value("meterd_energy_price_per_kwh", {{"meter", "live"}, {"currency", "CHF"}}), 0.25, 1e-12);
  hosted_.sink->stop();

  host(300, "/metrics", "", 120);
  hosted_.sink->consume(price_reading("stopped", now - 90 * 60'000, 0.32, "CHF/kWh"));
  page = scrape();
  EXPECT_NEAR(*page.value("meterd_energy_price_per_kwh", {{"meter", "stopped"}}), 0.32, 1e-12);
}
