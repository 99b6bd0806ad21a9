// The accounting rule through the whole program: the real meterd binary runs the simulator's
// history backfill (its register rises exactly by the integrated power, floored to Wh) into
// the dashboard and a file sink, at pushes every 5 s, 60 s, 15 min and 1 h. A second run
// serves the stored history over HTTP; every whole local hour and day must equal the delta of
// the register the file sink wrote, interpolated linearly at the period's edges.
#include <gtest/gtest.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "http_test_client.hpp"
#include "meterd/time_zone.hpp"
#include "meterd_child.hpp"
#include "store_fixture.hpp"

using meterd::dashboard::testing::MeterdProcess;
using meterd::http::testing::fetch;
using nlohmann::json;

namespace {

// Live from local midnight of 31 March 2026; the history before it (it starts one push after
// a whole number of days back) covers 30 March whole and the 23-hour 29 March from 2 days on.
constexpr const char* kStart = "2026-03-30T22:00:00";
constexpr const char* kPassword = "accounting-check";

struct Case {
  const char* name;
  int interval_ms, days;
};

void write_config(const std::filesystem::path& dir, const Case& c, bool with_history) {
  std::ofstream out(dir / (with_history ? "fill.conf" : "serve.conf"));
  out << "[meterd]\nstate_dir = " << (dir / "state").string() << "\ntime_zone = Europe/Zurich\n"
      << "plugin_dir = " << METERD_BUILD_DIR << "/plugins\nexit_when_sources_done = " << (with_history ? "true" : "false")
      << "\n[bus]\nblock_ms = 60000\n\n";
  if (with_history) {
    out << "[source.sim]\nplugin = simulator\nmeters = house=H\nspeed = 0\ncount = 1\nstart = " << kStart
        << "\ninterval_ms = " << c.interval_ms << "\nhistory_days = " << c.days << "\nhistory_interval_ms = " << c.interval_ms
        << "\n\n[sink.file]\nplugin = file\ndirectory = " << (dir / "out").string() << "\nformat = jsonl\n\n";
  } else {
    // Something to run while the history is read: another meter, live and slow.
    out << "[source.other]\nplugin = simulator\nmeters = house=OTHER\ninterval_ms = 3600000\n\n";
  }
  // Retention counts from today; this history lies in the past, so every tier is kept.
  out << "[sink.dash]\nplugin = dashboard\nport = 0\nadmin_password = " << kPassword
      << "\nraw_days = 0\nminute_days = 0\nquarter_days = 0\nweb_root = " << (dir / "web").string() << "\n";
}

// "2026-03-30T01:00:05+02:00" -> UTC ms.
std::int64_t parse_instant(const std::string& text) {
  meterd::CivilTime c;
  char sign = '+';
  int oh = 0, om = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d%c%d:%d", &c.year, &c.month, &c.day, &c.hour, &c.minute, &c.second, &sign,
                  &oh, &om) < 6)
    return 0;
  const int offset = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  return (meterd::civil_to_seconds(c) - (sign == 'Z' ? 0 : offset)) * 1000;
}

struct Reading {
  std::int64_t t_ms;
  double wh;
};

// The import register of meter H as the file sink wrote it, in Wh, by time.
std::vector<Reading> registers(const std::filesystem::path& file) {
  std::vector<Reading> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    const auto j = json::parse(line, nullptr, false);
    if (!j.is_object() || j.value("meter_id", "") != "H" || !j.contains("meter_time")) continue;
    for (const auto& v : j["values"])
      if (v.value("quantity", "") == "active_energy_import")
        out.push_back({parse_instant(j["meter_time"]), v["value"].get<double>() * (v["unit"] == "kWh" ? 1000.0 : 1.0)});
  }
  std::sort(out.begin(), out.end(), [](const Reading& a, const Reading& b) { return a.t_ms < b.t_ms; });
  return out;
}

// The register at t, interpolated; nullopt outside the readings.
std::optional<double> register_at(const std::vector<Reading>& r, std::int64_t t) {
  if (r.empty() || t < r.front().t_ms || t > r.back().t_ms) return std::nullopt;
  const auto it = std::lower_bound(r.begin(), r.end(), t, [](const Reading& x, std::int64_t v) { return x.t_ms < v; });
  if (it->t_ms == t) return it->wh;
  const auto& a = *std::prev(it);
  return a.wh + (it->wh - a.wh) * static_cast<double>(t - a.t_ms) / static_cast<double>(it->t_ms - a.t_ms);
}

struct Tally {
  int exact = 0, total = 0;
  double worst = 0;
};

// Compares every whole period of the reply with the register; counts |error| < 0.5 Wh as exact.
void compare(const json& periods, const std::vector<Reading>& r, Tally& tally, const char* what) {
  for (const auto& p : periods) {
    const auto a = register_at(r, p["start_ms"]), b = register_at(r, p["end_ms"]);
    if (!a || !b) continue;  // not a whole period of data
    ASSERT_FALSE(p["wh"].is_null()) << what << " " << p.dump();
    const double error = std::fabs(p["wh"].get<double>() - (*b - *a));
    EXPECT_LE(error, 1.0) << what << " " << p.dump() << " register delta " << (*b - *a);
    tally.worst = std::max(tally.worst, error);
    tally.exact += error < 0.5;
    ++tally.total;
  }
}

}  // namespace

TEST(AccountingThroughMeterd, WholeHoursAndDaysEqualTheRegisterAtEveryPushInterval) {
  const Case cases[] = {{"5 s", 5000, 2}, {"60 s", 60000, 2}, {"15 min", 900'000, 10}, {"1 h", 3'600'000, 30}};
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string("pushes every ") + c.name);
    const auto dir = meterd::dashboard::testing::fresh_dir("accounting-e2e");
    std::filesystem::create_directories(dir / "web");
    std::ofstream(dir / "web" / "index.html") << "<!doctype html><title>meterd</title>";
    write_config(dir, c, true);
    write_config(dir, c, false);
    {
      MeterdProcess fill(dir / "fill.conf", dir / "fill.log");
      ASSERT_TRUE(fill.started());
      for (int i = 0; i < 1800 && !fill.exited(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      ASSERT_TRUE(fill.exited()) << "the backfill did not finish within 3 minutes\n" << fill.log();
    }
    const auto readings = registers(dir / "out" / "file.jsonl");
    ASSERT_GT(readings.size(), 24u) << "no registers in the file sink's output";
    MeterdProcess serve(dir / "serve.conf", dir / "serve.log");
    const auto port = serve.wait_for_port(std::chrono::seconds(30));
    ASSERT_NE(port, 0) << serve.log();
    const auto login = fetch(port, "POST", "/api/login", {{"Content-Type", "application/json"}},
                             json{{"password", kPassword}}.dump());
    ASSERT_EQ(login.status, 200) << login.body;
    const auto cookie = login.header("set-cookie").substr(0, login.header("set-cookie").find(';'));
    const auto energy = [&](const char* period) {
      const auto from = std::to_string(readings.front().t_ms), to = std::to_string(readings.back().t_ms);
      const auto reply = fetch(port, "GET", std::string("/api/energy?meter=H&period=") + period + "&from=" + from + "&to=" + to,
                               {{"Cookie", cookie}});
      EXPECT_EQ(reply.status, 200) << reply.body;
      return json::parse(reply.body)["periods"];
    };
    Tally hours, days;
    compare(energy("hour"), readings, hours, "hour");
    compare(energy("day"), readings, days, "day");
    std::cout << "pushes every " << c.name << ": " << hours.exact << "/" << hours.total << " hours and " << days.exact << "/"
              << days.total << " days exact (|error| < 0.5 Wh), largest error "
              << std::max(hours.worst, days.worst) << " Wh\n";
    EXPECT_EQ(hours.exact, hours.total);
    EXPECT_EQ(days.exact, days.total);
    EXPECT_GE(hours.total, 24);
    EXPECT_GE(days.total, 1);
    EXPECT_TRUE(serve.terminate() == 0) << serve.log();
    std::filesystem::remove_all(dir);
  }
}
