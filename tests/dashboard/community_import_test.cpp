// The grid operator's 15-min data through the real import path: a mapped CSV of October 2026
// (wall clock, the repeated autumn hour in file order) read by `meterd import` with the
// ekz_history source into the dashboard sink's store, meterd's own register readings of the
// same meter beside it, and the reconciliation served over HTTP. Also: `--check-config` and
// the start refuse a bad `community_reference` with the same words.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "dashboard_api.hpp"
#include "meterd_child.hpp"
#include "served_api.hpp"
#include "store_fixture.hpp"

namespace fs = std::filesystem;
using namespace meterd::dashboard;
using meterd::dashboard::testing::slurp;
using meterd::dashboard::testing::zurich_ms;
using nlohmann::json;

namespace {
constexpr std::int64_t k5Min = 300'000, kQuarter = 900'000, kHour = 3'600'000;

std::int64_t flat_wh(std::int64_t t) { return 12 + ((t / k5Min) % 5 == 0 ? 40 : 0); }
std::int64_t pv_wh(std::int64_t t) { return (t / kHour) % 24 >= 9 && (t / kHour) % 24 < 15 ? 90 : 0; }

std::string community_lines(const std::string& reference) {
  return "community = zev\ncommunity_name = Sonnenhof\ncommunity_solar_price = 0.2\nprice = 0.3\n"
         "community_member = roof: name=Roof PV; meters=PV; role=producer; from=2026-01-01; tenant=no\n"
         "community_member = flat1: name=Flat 1; meters=F1; role=consumer; from=2026-01-01\n"
         "community_reference = " + reference + "\n";
}

void write_config(const fs::path& dir, const std::string& name, const std::string& reference) {
  std::ofstream(dir / name) << "[meterd]\nstate_dir = " << (dir / "state").string() << "\ntime_zone = Europe/Zurich\n"
                            << "plugin_dir = " << METERD_BUILD_DIR << "/plugins\nlog_level = warning\n\n"
                            << "[source.operator]\nplugin = ekz_history\nmeter_id = OP-F1\nformat = generic\n"
                            << "separator = ,\nheader_rows = 1\ntimestamp_column = 1\ntimestamp_format = yyyy-MM-dd HH:mm\n"
                            << "time_zone = Europe/Zurich\ninterval = 15min\ntimestamp_is = start\n"
                            << "column = 2 active_energy_import kWh\nprogress = never\n\n"
                            << "[sink.dash]\nplugin = dashboard\nport = 0\nadmin_password = s3cret-pass\nraw_days = 0\n"
                            << "minute_days = 0\nquarter_days = 0\nweb_root = " << (dir / "web").string() << "\n"
                            << community_lines(reference);
}

int run(const fs::path& dir, const std::string& args, const std::string& log) {
  const std::string cmd = "cd '" + dir.string() + "' && '" METERD_BUILD_DIR "/meterd' " + args + " > " + log + " 2>&1";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// "2026-10-25 02:15" for a UTC instant, as a wall-clock export writes it.
std::string wall_clock(std::int64_t ms, const meterd::TimeZone& zone) {
  const auto c = meterd::seconds_to_civil(zone.utc_to_local(ms / 1000));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour, c.minute);
  return buf;
}
}  // namespace

TEST(CommunityImport, TheOperatorsImportedCsvReconcilesAcrossTheAutumnHour) {
  const auto dir = meterd::dashboard::testing::fresh_dir("community-import");
  fs::create_directories(dir / "web");
  const auto zone = meterd::TimeZone::load("Europe/Zurich");
  const auto from = zurich_ms(*zone, 2026, 10, 1), to = zurich_ms(*zone, 2026, 11, 1);
  const auto second_215 = zurich_ms(*zone, 2026, 10, 25, 2, 15) + kHour;  // 02:15 in winter time
  const auto evening = zurich_ms(*zone, 2026, 10, 10, 18);
  {
    std::ofstream csv(dir / "operator.csv");
    csv << "Timestamp,Energy_kWh\n";
    for (std::int64_t q = from; q < to; q += kQuarter) {
      std::int64_t wh = 0;
      for (std::int64_t x = q; x < q + kQuarter; x += k5Min) wh += flat_wh(x);
      if (q == second_215) wh += 25;
      if (q == evening) wh -= 40;
      char kwh[32];
      std::snprintf(kwh, sizeof kwh, "%.3f", static_cast<double>(wh) / 1000);
      csv << wall_clock(q, *zone) << "," << kwh << "\n";
    }
  }
  write_config(dir, "import.conf", "F1: OP-F1");
  ASSERT_EQ(run(dir, "import --config import.conf operator.csv", "import.log"), 0) << slurp(dir / "import.log");
  fs::path file;
  for (const auto& e : fs::recursive_directory_iterator(dir / "state"))
    if (e.path().filename() == "history.sqlite") file = e.path();
  ASSERT_FALSE(file.empty()) << "the dashboard sink kept no store under " << (dir / "state");

  // meterd's own readings of the same meters, as its live sources would have stored them.
  StoreOptions so;
  so.file = file;
  so.raw_days = 0;
  HistoryStore store(so, zone);
  std::int64_t f1 = 1000, pv = 0;
  for (std::int64_t x = from; x <= to; x += k5Min) {
    store.add("F1", "active_energy_import", "Wh", {x, static_cast<double>(f1)});
    store.add("PV", "active_energy_export", "Wh", {x, static_cast<double>(pv)});
    f1 += flat_wh(x), pv += pv_wh(x);
  }
  store.flush();
  Statistics stats(store, Prices{});
  AccessControl access(dir / "access-test.sqlite", "s3cret-pass", nullptr);
  LiveFeed live;
  meterd::CommunityOptions c;
  c.kind = "zev";
  c.members = {"roof: name=Roof PV; meters=PV; role=producer; from=2026-01-01; tenant=no",
               "flat1: name=Flat 1; meters=F1; role=consumer; from=2026-01-01"};
  c.references = {"F1: OP-F1"};
  ApiOptions options;
  options.secure_cookies = false;
  options.community = meterd::make_community(c);
  DashboardApi api(store, stats, access, live, options, [to] { return to; });
  meterd::dashboard::testing::ServedApi served;
  served.serve(api);
  const auto r = served.get("/api/community/reconcile?period=2026-10");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto answer = json::parse(r.body);
  ASSERT_EQ(answer["meters"].size(), 1u) << answer.dump();
  const auto& m = answer["meters"][0];
  EXPECT_EQ(m["meter"], "F1");
  EXPECT_EQ(m["operator_meter"], "OP-F1");
  EXPECT_EQ(answer["without_reference"], json::array({"PV"}));
  EXPECT_EQ(m["compared"], 31 * 96 + 4) << "25 October has 25 hours, each quarter of them imported once";
  EXPECT_EQ(m["missing_operator"], 0);
  EXPECT_EQ(m["missing_meterd"], 0);
  ASSERT_EQ(m["listed"].size(), 2u) << m.dump();
  EXPECT_EQ(m["listed"][0]["start"], "2026-10-10T18:00:00+02:00");
  EXPECT_EQ(m["listed"][0]["difference_wh"].get<double>(), 40.0);
  EXPECT_EQ(m["listed"][1]["start"], "2026-10-25T02:15:00+01:00");
  EXPECT_EQ(m["listed"][1]["difference_wh"].get<double>(), -25.0);
  EXPECT_EQ(m["difference_wh"].get<double>(), 15.0);
  served.server.reset();
  fs::remove_all(dir);
}

TEST(CommunityImport, CheckConfigAndTheStartRefuseTheSameBadReference) {
  const auto dir = meterd::dashboard::testing::fresh_dir("community-bad-reference");
  fs::create_directories(dir / "web");
  std::ofstream(dir / "operator.csv") << "Timestamp,Energy_kWh\n2026-10-01 00:00,0.010\n";
  write_config(dir, "bad.conf", "F9: OP-F1");
  const std::string words = "community_reference 'F9: OP-F1': meter 'F9' is in no member's meters=; name a member meter "
                            "before the ':'";
  EXPECT_NE(run(dir, "--check-config bad.conf", "check.log"), 0);
  EXPECT_NE(slurp(dir / "check.log").find(words), std::string::npos) << slurp(dir / "check.log");
  EXPECT_NE(run(dir, "import --config bad.conf operator.csv", "start.log"), 0);
  EXPECT_NE(slurp(dir / "start.log").find(words), std::string::npos) << slurp(dir / "start.log");
  write_config(dir, "good.conf", "F1: OP-F1");
  EXPECT_EQ(run(dir, "--check-config good.conf", "good.log"), 0) << slurp(dir / "good.log");
  fs::remove_all(dir);
}
