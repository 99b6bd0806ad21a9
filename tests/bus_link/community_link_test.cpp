// An energy community spread over hosts: a reading host (the Pi in a building) reads a PV
// plant and three households with the simulator and forwards them over the encrypted
// `[bus] export` to the community's meterd, which `import`s them and runs the dashboard with
// the community configured. Both are real meterd processes on loopback TCP, through a relay
// that cuts the link for a while. Afterwards the community's 15-minute intervals cover the
// whole span without a gap, and every member's energy in every interval equals its meter's
// register delta, to the Wh, as the reading host itself recorded the registers.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "fault_harness.hpp"
#include "http_test_client.hpp"
#include "meterd/time_zone.hpp"
#include "tcp_relay.hpp"
#include "wait_until.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace meterd::faults;
using namespace meterd::test;
using nlohmann::json;

namespace {

// The simulator's first push, 2026-06-01T06:00:00Z, and one push a minute per meter for
// three hours: twelve whole 15-minute intervals, the sun rising on the PV plant.
constexpr std::int64_t kStartMs = 1'780'293'600'000;
constexpr int kPushes = 181;
constexpr std::int64_t kMinute = 60'000, kQuarter = 900'000;
const std::vector<std::string> kMeters{"PV1", "H1", "H2", "H3"};
constexpr const char* kPassword = "community-link";

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string keygen(const fs::path& dir, const std::string& name) {
  ServerProcess p({METERD_BUILD_DIR "/meterd", "keygen", (dir / name).string()}, dir / (name + "-keygen.log"));
  p.start();
  EXPECT_EQ(p.wait_exit(30s), 0) << read_text(dir / (name + "-keygen.log"));
  auto pub = read_text(dir / (name + ".pub"));
  while (!pub.empty() && pub.back() == '\n') pub.pop_back();
  return pub;
}

// "2026-06-01T06:15:00Z" or with an offset "+02:00" -> UTC ms.
std::int64_t instant_ms(const std::string& text) {
  meterd::CivilTime c;
  char sign = 'Z';
  int oh = 0, om = 0;
  std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d%c%d:%d", &c.year, &c.month, &c.day, &c.hour, &c.minute, &c.second, &sign, &oh,
              &om);
  const int offset = sign == 'Z' ? 0 : (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  return (meterd::civil_to_seconds(c) - offset) * 1000;
}

// Each meter's registers by time, in Wh, as the reading host's file sink wrote them.
using Registers = std::map<std::string, std::map<std::int64_t, std::map<std::string, double>>>;
Registers registers_in(const fs::path& directory) {
  Registers out;
  for (const auto& entry : fs::directory_iterator(directory)) {
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      const auto j = json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("values") || !j.contains("meter_time")) continue;
      const auto at = instant_ms(j["meter_time"]);
      for (const auto& v : j["values"]) {
        const auto q = v.value("quantity", "");
        if (q != "active_energy_import" && q != "active_energy_export") continue;
        const double scale = v.value("unit", "") == "kWh" ? 1000.0 : 1.0;
        out[j.value("meter_id", "")][at][q] = std::llround(v["value"].get<double>() * scale);
      }
    }
  }
  return out;
}

std::string community_config(std::uint16_t relay_port, const std::string& keys, const fs::path& dir) {
  return "[meterd]\nstate_dir = community-state\ntime_zone = Europe/Zurich\nplugin_dir = " METERD_BUILD_DIR "/plugins\n"
         "[bus]\nimport = tcp://127.0.0.1:" + std::to_string(relay_port) + "\n" + keys +
         "[sink.seen]\nplugin = file\ndirectory = " + (dir / "seen").string() + "\nfsync = never\n"
         "[sink.dash]\nplugin = dashboard\nport = 0\nadmin_password = " + kPassword +
         "\nraw_days = 0\nminute_days = 0\nquarter_days = 0\nweb_root = " + (dir / "web").string() +
         "\nmeter_roles = PV1=pv\nprice = 0.14\ngrid_prices = 0.11\nlevies = 0.03\nvat_percent = 8.1\nfeed_in = 0.08\n"
         "community = zev\ncommunity_name = Hof\ncommunity_solar_price = 0.20\n"
         "community_member = roof: name=Roof PV; meters=PV1; role=producer; from=2026-01-01; tenant=no\n"
         "community_member = flat1: name=Flat 1; meters=H1; role=consumer; from=2026-01-01\n"
         "community_member = flat2: name=Flat 2; meters=H2; role=consumer; from=2026-01-01\n"
         "community_member = flat3: name=Flat 3; meters=H3; role=consumer; from=2026-01-01\n";
}

std::string reading_host_config(std::uint16_t export_port, const std::string& keys, const fs::path& dir) {
  // 600 simulated seconds per real second: a push per meter every 100 ms, three hours in 18 s.
  return "[meterd]\nstate_dir = reader-state\nplugin_dir = " METERD_BUILD_DIR "/plugins\n"
         "[bus]\nexport = tcp://127.0.0.1:" + std::to_string(export_port) + "\n" + keys +
         "[source.sim]\nplugin = simulator\nmeters = pv=PV1, house=H1, house=H2, house=H3\npv_kwp = 30\n"
         "speed = 600\nstart = 2026-06-01T06:00:00\ninterval_ms = 60000\ncount = " + std::to_string(kPushes) +
         "\n[sink.local]\nplugin = file\ndirectory = " + (dir / "exported").string() + "\n";
}

unsigned short dashboard_port(const ServerProcess& p) {
  const std::string marker = "dashboard on http://127.0.0.1:";
  const auto log = p.log();
  const auto at = log.find(marker);
  return at == std::string::npos ? 0 : static_cast<unsigned short>(std::stoi(log.substr(at + marker.size())));
}

}  // namespace

TEST(CommunityLink, ReadingHostBehindACutLinkLosesNoInterval) {
  const auto dir = fresh_dir("community-link");
  fs::create_directories(dir / "web");
  std::ofstream(dir / "web" / "index.html") << "<!doctype html><title>meterd</title>";
  const auto server = keygen(dir, "reader"), client = keygen(dir, "community");
  const auto export_port = free_loopback_port(), relay_port = free_loopback_port();
  TcpRelay relay(relay_port, export_port);
  relay.start();
  auto community = start_meterd(dir, "community",
                                community_config(relay_port,
                                                 "secret_key = " + (dir / "community.key").string() + "\nserver_key = " +
                                                     server + "\n",
                                                 dir));
  auto reader = start_meterd(dir, "reader",
                             reading_host_config(export_port,
                                                 "secret_key = " + (dir / "reader.key").string() + "\naccept_key = " +
                                                     client + "\nexport_wait_ms = 20000\n",
                                                 dir));
  std::set<std::string> expected;
  for (const auto& m : kMeters) {
    const auto ids = simulator_ids("sim", m, kStartMs, kMinute, kPushes);
    expected.insert(ids.begin(), ids.end());
  }
  const auto seen = [&] { return ids_of(readings_in_jsonl(dir / "seen")); };
  ASSERT_TRUE(wait_until([&] { return seen().size() >= 40; }, 30s)) << reader->log() << community->log();

  relay.stop();  // the building's uplink is down: about 90 simulated minutes
  std::this_thread::sleep_for(3s);  // what was in flight is written by now
  const auto in_outage = seen().size();
  std::this_thread::sleep_for(6s);
  EXPECT_EQ(seen().size(), in_outage) << "readings crossed a link that was down";
  EXPECT_LT(in_outage, expected.size() - 100) << "the outage came too late to hide any interval";
  relay.start();
  ASSERT_TRUE(wait_until([&] { return tally(expected, seen()).lost == 0; }, 40s))
      << tally(expected, seen()).summary() << "\n" << reader->log() << community->log();
  const auto t = tally(expected, seen());
  EXPECT_EQ(t.duplicates, 0u) << t.summary();

  // The community's intervals of June, as the operator downloads them.
  const auto port = dashboard_port(*community);
  ASSERT_NE(port, 0) << community->log();
  using meterd::http::testing::fetch;
  const auto login = fetch(port, "POST", "/api/login", {{"Content-Type", "application/json"}}, json{{"password", kPassword}}.dump());
  ASSERT_EQ(login.status, 200) << login.body;
  const auto cookie = login.header("set-cookie").substr(0, login.header("set-cookie").find(';'));
  json answer;
  // The dashboard stores what the link delivered within a moment; ask until all twelve are there.
  const bool complete = wait_until(
      [&] {
        const auto r = fetch(port, "GET", "/api/community/intervals?period=2026-06", {{"Cookie", cookie}});
        answer = json::parse(r.body, nullptr, false);
        return r.status == 200 && answer.contains("intervals") && answer["intervals"].size() == 12;
      },
      30s);
  ASSERT_TRUE(complete) << answer.dump().substr(0, 2000);
  EXPECT_EQ(answer["members"], json({"roof", "flat1", "flat2", "flat3"}));

  const auto regs = registers_in(dir / "exported");
  const auto delta = [&](const std::string& meter, const char* quantity, std::int64_t from) {
    return regs.at(meter).at(from + kQuarter).at(quantity) - regs.at(meter).at(from).at(quantity);
  };
  std::int64_t production = 0;
  for (std::size_t i = 0; i < 12; ++i) {
    const auto& in = answer["intervals"][i];
    const std::int64_t start = kStartMs + static_cast<std::int64_t>(i) * kQuarter;
    SCOPED_TRACE("interval starting " + std::to_string(start));
    EXPECT_EQ(in["start_ms"].get<std::int64_t>(), start);
    EXPECT_FALSE(in["estimated"].get<bool>());
    EXPECT_EQ(in["production"][0].get<std::int64_t>(), std::llround(delta("PV1", "active_energy_export", start)));
    EXPECT_EQ(in["consumption"][0].get<std::int64_t>(), std::llround(delta("PV1", "active_energy_import", start)));
    for (std::size_t m = 1; m < 4; ++m)
      EXPECT_EQ(in["consumption"][m].get<std::int64_t>(), std::llround(delta(kMeters[m], "active_energy_import", start)))
          << kMeters[m];
    production += in["production_wh"].get<std::int64_t>();
  }
  EXPECT_GT(production, 0) << "the sun did not shine on the PV plant";
  std::cout << "[community link] 12 intervals of 15 min after a 9-s outage (90 simulated minutes), "
            << production << " Wh produced, " << t.summary() << std::endl;
}
