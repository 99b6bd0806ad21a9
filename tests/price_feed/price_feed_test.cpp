// The price_feed source against a real local HTTP server (tests/price_feed/price_server.py)
// serving recorded answers in the format of the aWATTar market data API
// (https://www.awattar.de/services/api: {"data":[{"start_timestamp","end_timestamp",
// "marketprice","unit":"Eur/MWh"}]}), through an outage and malformed answers, and with a CSV
// price file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "fake_source_context.hpp"
#include "price_answer.hpp"
#include "price_feed_source.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"
#include "wait_until.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using meterd::csv_plugins::testing::FakeSourceContext;
using namespace meterd::price_feed;

namespace {
// 29 March 2026, 00:00 in Zurich and Berlin (the 23-hour day), as the answers give it.
constexpr std::int64_t kDayStart = 1'774'738'800'000;

void write(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::trunc);
  out << text;
}

std::size_t count_code(FakeSourceContext& context, const std::string& code) {
  std::size_t n = 0;
  for (const auto& d : context.take_diagnostics()) n += d.rfind(code + ":", 0) == 0 ? 1 : 0;
  return n;
}

struct RunningSource {
  FakeSourceContext context;
  PriceFeedSource source;
  std::jthread thread;
  RunningSource(const std::vector<std::pair<std::string, std::string>>& options, const fs::path& state)
      : context(&describe_options, options, state), source(context), thread([this](std::stop_token s) { source.run(s); }) {}
};

// The price API serving the recorded answers from a copy in `dir`/server, `first` at first.
struct PriceServer {
  fs::path root;
  std::uint16_t port = meterd::test::free_loopback_port();
  std::unique_ptr<meterd::test::ServerProcess> process;
  PriceServer(const fs::path& dir, const std::string& first) : root(dir / "server") {
    fs::create_directories(root);
    fs::copy(METERD_SOURCE_DIR "/tests/price_feed/answers", root);
    write(root / "current", first);
    process = std::make_unique<meterd::test::ServerProcess>(
        std::vector<std::string>{"/usr/bin/python3", METERD_SOURCE_DIR "/tests/price_feed/price_server.py", std::to_string(port),
                                 root.string()},
        dir / "server.log");
  }
  void start() {
    process->start();
    ASSERT_TRUE(meterd::test::wait_for_port(port, 10s)) << process->log();
  }
  void serve(const std::string& answer) { write(root / "current", answer); }
};

std::vector<std::pair<std::string, std::string>> api_options(std::uint16_t port) {
  return {{"id", "spot"}, {"unit", "EUR/kWh"}, {"url", "http://127.0.0.1:" + std::to_string(port) + "/de/v1/marketdata"},
          {"bearer_token", "tok-1"}, {"header", "X-Api-Key: key-2"}, {"unit_field", "unit"}, {"expected_unit", "Eur/MWh"},
          {"scale", "0.001"}, {"retry_s", "1"}, {"poll_min", "1"}, {"timeout_s", "5"}};
}
}  // namespace

TEST(PriceFeed, PollsTheApiThroughAnOutageAndPublishesEachPriceOnceWithStableIds) {
  meterd::test_support::TempDir dir;
  PriceServer server(dir.path(), "awattar-2026-03-29.json");
  RunningSource feed(api_options(server.port), dir.path() / "state");
  // The server is down: one diagnostic, no price.
  ASSERT_TRUE(meterd::test::wait_until([&] { return count_code(feed.context, "price_feed_unreachable") == 1; }, 15s));
  EXPECT_TRUE(feed.context.take_readings().empty());
  server.start();
  ASSERT_TRUE(meterd::test::wait_until([&] { return feed.context.take_readings().size() == 23; }, 20s));
  EXPECT_EQ(count_code(feed.context, "price_feed_recovered"), 1u);
  const auto readings = feed.context.take_readings();
  // The first hour: 95.5 Eur/MWh is 0.0955 EUR/kWh at local midnight; the 13th a negative price.
  EXPECT_EQ(readings[0].meter_id(), "spot");
  EXPECT_EQ(readings[0].meter_time_ms(), kDayStart);
  EXPECT_EQ(readings[0].id(), "spot:price:" + std::to_string(kDayStart));
  EXPECT_EQ(readings[0].values(0).quantity(), "price");
  EXPECT_EQ(readings[0].values(0).unit(), "EUR/kWh");
  EXPECT_NEAR(readings[0].values(0).number(), 0.0955, 1e-12);
  EXPECT_NEAR(readings[12].values(0).number(), -0.0053, 1e-12);
  EXPECT_EQ(readings[22].meter_time_ms(), kDayStart + 22 * 3'600'000LL);
  std::ifstream log(server.root / "requests.log");
  std::string line;
  std::getline(log, line);
  EXPECT_EQ(line, "/de/v1/marketdata Bearer tok-1 key-2");
}

TEST(PriceFeed, WrongUnitsMalformedAnswersAndServerErrorsAreDiagnosticsNeverPrices) {
  meterd::test_support::TempDir dir;
  PriceServer server(dir.path(), "wrong-unit.json");
  server.start();
  RunningSource feed(api_options(server.port), dir.path() / "state");
  ASSERT_TRUE(meterd::test::wait_until([&] { return count_code(feed.context, "price_feed_unit") == 1; }, 15s));
  // Each refused answer counts as an error; the diagnostic of one kind comes once, then hourly.
  for (const char* answer : {"truncated.json", "price-as-text.json"}) {
    const auto before = feed.context.counters().errors.load();
    server.serve(answer);
    std::this_thread::sleep_for(1500ms);  // the answer before may still be in flight
    ASSERT_TRUE(meterd::test::wait_until([&] { return feed.context.counters().errors.load() > before + 1; }, 15s)) << answer;
  }
  EXPECT_EQ(count_code(feed.context, "price_feed_malformed"), 1u);
  server.serve("500-error.json");
  ASSERT_TRUE(meterd::test::wait_until([&] { return count_code(feed.context, "price_feed_unreachable") == 1; }, 15s));
  EXPECT_TRUE(feed.context.take_readings().empty()) << "no price of a refused answer is published";
  server.serve("awattar-2026-03-29.json");
  ASSERT_TRUE(meterd::test::wait_until([&] { return feed.context.take_readings().size() == 23; }, 15s));
}

TEST(PriceFeed, CsvPriceFileIsReadAgainWhenItChangesAndABadFileIsRefusedWhole) {
  meterd::test_support::TempDir dir;
  const auto file = dir.path() / "prices.csv";
  // 25 October 2026: 02:00-03:00 twice, told apart by their offsets; 15-min prices.
  write(file, "start,price\n2026-10-25T02:45:00+02:00,0.21\n2026-10-25T02:00:00+01:00,0.19\n"
              "2026-10-25T02:15:00+01:00,0.18\n");
  RunningSource feed({{"csv_path", file.string()}, {"interval_min", "15"}}, dir.path() / "state");
  ASSERT_TRUE(meterd::test::wait_until([&] { return feed.context.take_readings().size() == 3; }, 10s));
  auto readings = feed.context.take_readings();
  const std::int64_t first = 1'792'889'100'000;  // 2026-10-25T00:45:00Z
  EXPECT_EQ(readings[0].meter_id(), "price");
  EXPECT_EQ(readings[0].meter_time_ms(), first);
  EXPECT_EQ(readings[1].meter_time_ms(), first + 15 * 60'000);  // 02:00+01:00 follows 02:45+02:00
  EXPECT_NEAR(readings[2].values(0).number(), 0.18, 1e-12);
  // An added line: the file is read again, the known prices come with their ids again.
  std::this_thread::sleep_for(1100ms);  // a new modification time on coarse file systems
  write(file, "start,price\n2026-10-25T02:45:00+02:00,0.21\n2026-10-25T02:00:00+01:00,0.19\n"
              "2026-10-25T02:15:00+01:00,0.18\n2026-10-25T02:30:00+01:00,0.17\n");
  ASSERT_TRUE(meterd::test::wait_until([&] { return feed.context.take_readings().size() == 7; }, 10s));
  readings = feed.context.take_readings();
  EXPECT_EQ(readings[3].id(), readings[0].id());
  // A decimal comma: the whole file is refused until corrected.
  std::this_thread::sleep_for(1100ms);
  write(file, "2026-10-25T03:00:00+01:00;0,16\n");
  ASSERT_TRUE(meterd::test::wait_until([&] { return count_code(feed.context, "price_feed_malformed") == 1; }, 10s));
  EXPECT_EQ(feed.context.take_readings().size(), 7u);
}

TEST(PriceAnswer, ParsersCheckGridUnitsAndTimes) {
  PriceFormat f;
  f.interval_ms = 15 * 60'000;
  EXPECT_EQ(parse_iso8601_ms("2026-10-25T02:00:00+02:00"), 1'792'886'400'000);
  EXPECT_EQ(parse_iso8601_ms("2026-10-25T02:00:00+01:00"), 1'792'890'000'000);
  EXPECT_EQ(parse_iso8601_ms("2026-10-25T00:00Z"), 1'792'886'400'000);
  EXPECT_EQ(parse_iso8601_ms("2026-10-25T02:00:00.000+0100"), 1'792'890'000'000);
  EXPECT_EQ(parse_iso8601_ms("2026-10-25T02:00:00"), -1);  // no offset: ambiguous
  EXPECT_EQ(parse_iso8601_ms("2026-02-30T02:00:00Z"), -1);
  // Off the 15-min grid, twice the same start, a price per MWh taken for per kWh.
  EXPECT_EQ(parse_price_csv("2026-10-25T02:10:00+01:00,0.2\n", f).code, "price_feed_malformed");
  EXPECT_EQ(parse_price_csv("1792890000000,0.2\n1792890000000,0.3\n", f).code, "price_feed_malformed");
  EXPECT_EQ(parse_price_csv("1792890000000,95.5\n", f).code, "price_feed_unit");
  // ISO times in JSON, no unit field, the whole answer an array.
  f.pointer = "";
  f.time_field = "start";
  f.price_field = "price";
  f.time_unit = TimeUnit::iso8601;
  const auto a = parse_price_json(R"([{"start":"2026-10-25T02:00:00+01:00","price":0.2}])", f);
  ASSERT_TRUE(a.ok()) << a.problem;
  EXPECT_EQ(a.prices.at(0).start_ms, 1'792'890'000'000);
  EXPECT_EQ(parse_price_json("[]", f).code, "price_feed_malformed");
  EXPECT_EQ(parse_price_json(R"({"data":[]})", f).code, "price_feed_malformed");
}
