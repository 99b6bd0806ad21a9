// The tariff examples of docs/prices.md: each config under configs/examples/ is shown in the
// docs exactly as it is, passes `meterd --check-config` with the real binary and plugins, and
// its prices give the worked figures the docs quote when the dashboard's own cost code
// (Statistics over a real history store) prices energy with them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "meterd/runtime/config_file.hpp"
#include "price_schedule.hpp"
#include "server_process.hpp"
#include "statistics.hpp"
#include "store_fixture.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace meterd::dashboard;
using namespace std::chrono_literals;
using meterd::dashboard::testing::TempStore;
using meterd::dashboard::testing::zurich_ms;

namespace {
const fs::path kSource = METERD_SOURCE_DIR;
constexpr std::int64_t kHour = 3'600'000;

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<fs::path> example_configs() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kSource / "configs" / "examples"))
    if (e.path().extension() == ".conf") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// The [sink.dashboard] options of an example, read by the core's own config parser.
std::map<std::string, std::string> dashboard_options(const std::string& name) {
  const auto file = meterd::read_config_file((kSource / "configs" / "examples" / name).string());
  for (const auto& section : file.sections)
    if (section.name == "sink.dashboard") {
      std::map<std::string, std::string> out;
      for (const auto& e : section.entries) out[e.key] = e.value;
      return out;
    }
  return {};
}

// The price options as the dashboard sink reads them (read_prices in dashboard_sink.cpp), for
// the options the examples use; an example with any other price option fails here, so this
// cannot silently drift from what the sink does.
Prices prices_of(const std::map<std::string, std::string>& o, const meterd::TimeZone& zone) {
  const std::set<std::string> known{"plugin", "currency", "price", "prices", "grid_prices", "levies", "vat_percent",
                                    "feed_in", "fixed_fee_per_month", "dynamic_prices", "dynamic_price_valid_min"};
  for (const auto& [key, value] : o) EXPECT_TRUE(known.count(key)) << "option '" << key << "' is not mirrored here";
  const auto get = [&](const std::string& key) { return o.count(key) ? o.at(key) : std::string(); };
  Prices p;
  p.currency = get("currency");
  if (!get("price").empty()) p.single = std::stod(get("price"));
  if (!get("prices").empty()) p.dated = parse_price_sets("prices", get("prices"), {}, zone, true);
  p.grid = parse_price_sets("grid_prices", get("grid_prices"), {}, zone);
  p.levies = parse_price_sets("levies", get("levies"), {}, zone);
  p.vat_percent = get("vat_percent").empty() ? 0 : std::stod(get("vat_percent"));
  p.feed_in = parse_price_sets("feed_in", get("feed_in"), {}, zone);
  p.fixed_fee_per_month = get("fixed_fee_per_month").empty() ? 0 : std::stod(get("fixed_fee_per_month"));
  p.dynamic_meter = get("dynamic_prices");
  p.dynamic_max_age_ms = (get("dynamic_price_valid_min").empty() ? 60 : std::stoll(get("dynamic_price_valid_min"))) * 60'000;
  return p;
}

// A register rising by `watts` over [from, to), sampled every minute.
void load(HistoryStore& store, const std::string& meter, std::int64_t from, std::int64_t to, double watts, double& wh) {
  for (std::int64_t x = from; x <= to; x += 60'000) {
    store.add(meter, "active_energy_import", "Wh", {x, wh});
    if (x < to) wh += watts / 60;
  }
}
}  // namespace

TEST(DocExamples, EveryExampleConfigIsInTheDocsAsItIsAndPassesCheckConfig) {
  const auto docs = read_text(kSource / "docs" / "prices.md");
  const auto configs = example_configs();
  ASSERT_GE(configs.size(), 2u);
  meterd::test_support::TempDir dir;
  for (const auto& config : configs) {
    const auto text = read_text(config);
    EXPECT_NE(docs.find("```ini\n" + text + "```\n"), std::string::npos)
        << config.filename() << " is not shown verbatim in docs/prices.md";
    meterd::test::ServerProcess p({METERD_BUILD_DIR "/meterd", "--check-config", config.string()}, dir.path() / "check.log");
    p.start();
    EXPECT_EQ(p.wait_exit(60s), 0) << config.filename() << ":\n" << read_text(dir.path() / "check.log");
  }
}

// docs/prices.md, "A Swiss household tariff": a heat pump drawing 2 kW all of Wednesday
// 7 January 2026.
TEST(DocExamples, TheSwissHouseholdTariffCostsWhatTheDocsSay) {
  TempStore t("doc-swiss", "Europe/Zurich");
  auto& store = t.open();
  const auto from = zurich_ms(*t.zone, 2026, 1, 7), to = zurich_ms(*t.zone, 2026, 1, 8);
  double wh = 1000;
  load(store, "hp", from - kHour, to + kHour, 2000, wh);
  store.flush();
  const auto prices = prices_of(dashboard_options("swiss-household-2026.conf"), *t.zone);
  Statistics stats(store, prices);
  const auto d = stats.energy("hp", Direction::import_energy, Period::day, from, to).at(0);
  EXPECT_NEAR(*d.wh, 48'000, 0.01);
  EXPECT_NEAR(d.energy_cost, 5.8128, 5e-5);
  EXPECT_NEAR(d.grid_cost, 5.1600, 5e-5);
  EXPECT_NEAR(d.levies_cost, 1.8048, 5e-5);
  EXPECT_NEAR(d.vat_cost, 1.0350, 5e-5);
  EXPECT_NEAR(d.cost, 13.8126, 5e-5);
  EXPECT_NEAR(prices.fixed_fee(from, to, *t.zone), 0.2161, 5e-5);  // 6.70 / 31
}

// docs/prices.md, "A German dynamic tariff": an EV charging at 11 kW on Sunday 29 March 2026
// (the 23-hour day) from 13:00 to 14:00 and from 19:00 to 20:00, with the day-ahead prices of
// the recorded aWATTar answer the price_feed tests use, scaled as the example's source says.
TEST(DocExamples, TheGermanDynamicTariffCostsWhatTheDocsSay) {
  TempStore t("doc-german", "Europe/Berlin");
  auto& store = t.open();
  const auto& zone = *t.zone;
  const auto at = [&](int hour) { return zurich_ms(zone, 2026, 3, 29, hour); };  // local time of the store's zone
  const auto answer = nlohmann::json::parse(read_text(kSource / "tests" / "price_feed" / "answers" / "awattar-2026-03-29.json"));
  for (const auto& interval : answer["data"])
    store.add("spot", "price", "EUR/kWh", {interval["start_timestamp"].get<std::int64_t>(), interval["marketprice"].get<double>() * 0.001});
  double wh = 5000;
  load(store, "ev", at(13), at(14), 11'000, wh);
  load(store, "ev", at(19), at(20), 11'000, wh);
  store.flush();
  const auto prices = prices_of(dashboard_options("german-dynamic-tariff.conf"), zone);
  ASSERT_EQ(prices.dynamic_meter, "spot");
  Statistics stats(store, prices);
  const auto hour = [&](int h) { return stats.energy("ev", Direction::import_energy, Period::hour, at(h), at(h) + kHour).at(0); };
  // 13:00, spot -5.3 EUR/MWh: 11 kWh x (-0.0053 + 0.0900 + 0.08316) = 1.84646, VAT 0.35083.
  const auto noon = hour(13);
  EXPECT_NEAR(*noon.wh, 11'000, 0.01);
  EXPECT_NEAR(noon.energy_cost, -0.0583, 5e-5);
  EXPECT_NEAR(noon.grid_cost, 0.9900, 5e-5);
  EXPECT_NEAR(noon.levies_cost, 0.9148, 5e-5);
  EXPECT_NEAR(noon.vat_cost, 0.3508, 5e-5);
  EXPECT_NEAR(noon.cost, 2.1973, 5e-5);
  EXPECT_NEAR(noon.dynamic_wh, 11'000, 0.01);
  // 19:00, spot 160.2 EUR/MWh: 11 x (0.1602 + 0.0900 + 0.08316) = 3.66696, VAT 0.69672.
  const auto evening = hour(19);
  EXPECT_NEAR(evening.energy_cost, 1.7622, 5e-5);
  EXPECT_NEAR(evening.cost, 4.3637, 5e-5);
  // The whole day: those two hours, nothing else.
  const auto day = stats.energy("ev", Direction::import_energy, Period::day, at(0), zurich_ms(zone, 2026, 3, 30)).at(0);
  EXPECT_NEAR(day.cost, 2.1973 + 4.3637, 1e-4);
}
