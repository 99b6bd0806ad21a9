// An energy community at the scale of a municipality: 2,000 participants (households, houses
// with PV behind their meter, and PV plants) in one dashboard store, their meters' registers
// computed by the simulator's own profiles (HouseholdModel) at a fixed reading interval. Then
// it times what the operator does at the end of a month:
//   - the allocation of the period for all participants (the ledger every community answer
//     is made from: 15-min energies from the store, the allocation, the prices);
//   - every member's bill through the dashboard's HTTP API (JSON, CSV and HTML), the way the
//     operator's tools fetch them, plus the summary;
//   - the same bills made in process from one ledger (no HTTP).
// Each timing is repeated --rounds times; the median with the fastest and slowest round is
// printed, with the peak RSS and the load average before and after.
//
//   build/bench/community/community_bench [--members 2000] [--step 900] [--days 30] [--rounds 5]
//                                        [--dir /tmp/meterd-community-bench] [--bill-rounds 3] [--http-bills N]
// --step 5 stores 5-s readings; --days then says how many days of June 2026 are filled, or
// --hours how many hours from 10:00 on 1 June (the billing period is still the month; the
// time without data is reported as missing in the bills).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "community_bill.hpp"
#include "community_ledger.hpp"
#include "community_pages.hpp"
#include "dashboard_api.hpp"
#include "household_model.hpp"
#include "meterd/community.hpp"
#include "meterd/time_zone.hpp"
#include "served_api.hpp"

using namespace meterd::dashboard;
using meterd::simulator::HouseholdModel;
using meterd::simulator::Profile;
using meterd::simulator::PvOptions;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Spread {
  double median, min, max;
};

template <typename F>
Spread rounds_of(int rounds, F f) {
  std::vector<double> s;
  for (int i = 0; i < rounds; ++i) {
    const auto t = Clock::now();
    f();
    s.push_back(seconds_since(t));
  }
  std::sort(s.begin(), s.end());
  return {s[s.size() / 2], s.front(), s.back()};
}

void print(const char* what, const Spread& s) {
  std::printf("%-52s %9.3f s  (%.3f-%.3f)\n", what, s.median, s.min, s.max);
  std::fflush(stdout);
}

std::string load_average() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return a + " " + b + " " + c;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "community_bench: %s\n", what.c_str());
  std::exit(1);
}

// One participant: its meter, what the simulator makes of it and its role in the community.
struct Participant {
  std::string id, meter;
  Profile profile;
  const char* role;
  HouseholdModel model;
  double import_wh, export_wh;
};

// 95 % households, 3 % houses with 10 kWp on the roof behind their meter, 2 % PV plants of
// 40 kWp (school roofs, halls): the municipality's solar covers a good part of its day.
std::vector<Participant> participants(int n) {
  std::vector<Participant> out;
  const int plants = std::max(1, n / 50), prosumers = n * 3 / 100;
  for (int i = 0; i < n; ++i) {
    char id[16], meter[16];
    Profile p = Profile::house;
    const char* role = "consumer";
    PvOptions pv;
    if (i < plants) p = Profile::pv, role = "producer", pv.peak_kw = 40;
    else if (i < plants + prosumers) p = Profile::house_pv, role = "prosumer", pv.peak_kw = 10;
    std::snprintf(id, sizeof id, "m%04d", i + 1);
    std::snprintf(meter, sizeof meter, "MTR-%04d", i + 1);
    const auto seed = static_cast<std::uint64_t>(i + 1);
    out.push_back({id, meter, p, role, HouseholdModel(p, seed, pv), 100'000.0 + 37.0 * i, 0});
  }
  return out;
}

// The registers every `step` seconds over [from, to], as the meters would send them: whole Wh,
// rising by the model's power held over each step (the simulator's rule).
void fill(HistoryStore& store, std::vector<Participant>& people, const meterd::TimeZone& zone, std::int64_t from_ms,
          std::int64_t to_ms, int step) {
  std::int64_t n = 0;
  for (std::int64_t t = from_ms / 1000; t <= to_ms / 1000; t += step) {
    const auto local = zone.utc_to_local(t);
    for (auto& p : people) {
      store.add(p.meter, "active_energy_import", "Wh", {t * 1000, std::floor(p.import_wh)});
      if (p.profile != Profile::house) store.add(p.meter, "active_energy_export", "Wh", {t * 1000, std::floor(p.export_wh)});
      const auto now = p.model.at(t, local);
      p.import_wh += now.import_w() * step / 3600.0;
      p.export_wh += now.export_w() * step / 3600.0;
    }
    // Flushed in large slices, as a backfill does: the buffers stay below a few million values.
    if (++n % std::max<std::int64_t>(1, 86400 / step) == 0 || store.unflushed_points() > 4'000'000) store.flush();
  }
  store.flush();
}

meterd::Community community_of(const std::vector<Participant>& people) {
  meterd::CommunityOptions c;
  c.kind = "leg";
  c.name = "Gemeinde";
  for (const auto& p : people)
    c.members.push_back(p.id + ": name=Participant " + p.id + "; meters=" + p.meter + "; role=" + p.role + "; from=2026-01-01");
  c.terms.solar_price = 0.12;
  c.terms.leg_discount_percent = 40;
  c.leg_discount_set = true;
  c.terms.fixed_fee_per_month = 3;
  c.lowest_external_price = 0.28;
  return meterd::make_community(c);
}

Prices prices_of(const meterd::TimeZone& zone) {
  Prices prices;
  prices.single = 0.14;
  prices.grid = parse_price_sets("grid_prices", "0.11", {}, zone);
  prices.levies = parse_price_sets("levies", "0.03", {}, zone);
  prices.feed_in = parse_price_sets("feed_in", "0.08", {}, zone);
  prices.vat_percent = 8.1;
  return prices;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir = "/tmp/meterd-community-bench";
  int members = 2000, step = 900, days = 30, rounds = 5, bill_rounds = 3, http_bills = -1, hours = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string o = argv[i];
    const char* v = argv[i + 1];
    if (o == "--dir") dir = v;
    else if (o == "--members") members = std::atoi(v);
    else if (o == "--step") step = std::atoi(v);
    else if (o == "--days") days = std::atoi(v);
    else if (o == "--rounds") rounds = std::atoi(v);
    else if (o == "--bill-rounds") bill_rounds = std::atoi(v);
    else if (o == "--http-bills") http_bills = std::atoi(v);
    else if (o == "--hours") hours = std::atoi(v);
    else fail("unknown option " + o + " (see the comment at the top of bench/community/community_bench.cpp)");
  }
  if (members < 2 || step < 1 || 900 % step != 0 || days < 1 || days > 30 || hours < 0 || hours > 14 || rounds < 1 || bill_rounds < 1)
    fail("--members >= 2, --step dividing 900, --days 1..30, --hours 0..14, --rounds and --bill-rounds >= 1");
  std::printf("load average at start: %s\n", load_average().c_str());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto zone_ptr = meterd::TimeZone::load("Europe/Zurich");
  const auto& zone = *zone_ptr;
  const auto from = local_day_start_ms(meterd::days_from_civil(2026, 6, 1), zone);
  const auto month_end = local_day_start_ms(meterd::days_from_civil(2026, 7, 1), zone);
  // --hours H: only H hours from 10:00 on 1 June (the sun shines), for 5-s data at scale.
  const auto filled_from = hours > 0 ? from + 10 * 3'600'000LL : from;
  const auto filled_end = hours > 0 ? filled_from + hours * 3'600'000LL
                                    : local_day_start_ms(meterd::days_from_civil(2026, 6, 1 + days), zone);
  StoreOptions options;
  options.file = dir / "history.sqlite";
  options.raw_days = 0;
  HistoryStore store(options, zone_ptr);
  auto people = participants(members);
  const auto fill_start = Clock::now();
  fill(store, people, zone, filled_from, filled_end, step);
  const auto fill_s = seconds_since(fill_start);
  std::int64_t registers = 0;
  for (const auto& p : people) registers += p.profile == Profile::house ? 1 : 2;
  const auto readings = registers * ((filled_end - filled_from) / 1000 / step + 1);
  std::printf("participants %d, register readings every %d s over %.2f days: %lld values in %.1f s, store %.1f MB\n", members,
              step, static_cast<double>(filled_end - filled_from) / 86'400'000.0, static_cast<long long>(readings), fill_s,
              static_cast<double>(store.space().file_bytes) / 1e6);

  Statistics stats(store, prices_of(zone));
  const auto community = community_of(people);
  // The allocation of the filled span (the month, or its first days at 5 s).
  CommunityLedger ledger;
  print("allocation of the filled span, all participants", rounds_of(rounds, [&] {
          ledger = run_ledger(community, store, stats, filled_from, filled_end);
        }));
  std::printf("  intervals %lld, unresolved %lld, production %.1f MWh, consumption %.1f MWh, local %.1f MWh\n",
              static_cast<long long>(ledger.intervals), static_cast<long long>(ledger.unresolved_intervals),
              static_cast<double>(ledger.production_wh) / 1e6, static_cast<double>(ledger.consumption_wh) / 1e6,
              static_cast<double>(ledger.local_wh) / 1e6);
  if (ledger.unresolved_intervals != 0) fail("an interval of the filled span has no data");
  std::int64_t allocated = 0;
  for (const auto& m : ledger.members) allocated += m.allocated_wh;
  if (allocated != ledger.local_wh || ledger.local_wh <= 0) fail("the allocated Wh do not add up to the local energy");

  std::size_t bytes = 0;
  print("bills in process from that ledger: JSON+CSV+HTML", rounds_of(rounds, [&] {
          bytes = 0;
          for (std::size_t i = 0; i < community.members.size(); ++i) {
            const auto b = member_bill(community, ledger, i, stats.prices(), "2026-06", zone);
            bytes += bill_json(b).dump().size() + bill_csv(b).size() + bill_html(b, zone).size();
          }
        }));
  std::printf("  %zu bills, %.1f MB in the three formats\n", community.members.size(), static_cast<double>(bytes) / 1e6);

  // Over HTTP: the dashboard API behind its server, an admin session, the month as billed.
  AccessControl access(dir / "access.sqlite", "s3cret-pass", nullptr);
  LiveFeed live;
  ApiOptions api_options;
  api_options.secure_cookies = false;
  api_options.community = community;
  DashboardApi api(store, stats, access, live, api_options, [&] { return month_end + 3'600'000; });
  testing::ServedApi served;
  served.serve(api);
  // A reading of another meter arrives before each round, as in a live meterd: the store
  // changes, so every round computes the month's ledger afresh instead of reusing the last one.
  std::int64_t tick = month_end;
  const auto store_changes = [&] {
    store.add("bench-tick", "active_energy_import", "Wh", {tick, static_cast<double>(tick / 1000)});
    tick += 1000;
  };
  const auto ask = [&](const std::string& target) {
    const auto r = served.get(target);
    if (r.status != 200) fail(target + " answered " + std::to_string(r.status) + ": " + r.body);
    return r.body.size();
  };
  print("summary of the month over HTTP (JSON), ledger included", rounds_of(rounds, [&] {
          store_changes();
          ask("/api/community/summary?period=2026-06");
        }));
  // --http-bills N asks only the first N members' bills (to time a slow build in minutes).
  const auto asked = http_bills < 0 ? community.members.size() : std::min<std::size_t>(http_bills, community.members.size());
  for (const char* format : {"json", "csv", "html"}) {
    const auto s = rounds_of(bill_rounds, [&] {
      store_changes();  // the first bill computes the ledger, the others share it
      bytes = 0;
      for (std::size_t i = 0; i < asked; ++i)
        bytes += ask("/api/community/bill?member=" + community.members[i].id + "&period=2026-06&format=" + format);
    });
    const auto what = std::to_string(asked) + " bills of the month over HTTP (" + format + ")";
    print(what.c_str(), s);
    std::printf("  %.1f MB\n", static_cast<double>(bytes) / 1e6);
  }
  std::printf("peak RSS %.1f MB\n", peak_rss_mb());
  std::printf("load average at end: %s\n", load_average().c_str());
  return 0;
}
