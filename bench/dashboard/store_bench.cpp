// Ingest rate, bytes per value and query latency of the dashboard history store over a year
// of 5-second data for two meters (power and energy register each). With --lines FILE it also
// writes the same data as InfluxDB line protocol for compare_influxdb.sh; with --reuse it only
// queries the store an earlier run with the same --days and --dir left behind.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include "history_store.hpp"
#include "meterd/time_zone.hpp"
#include "statistics.hpp"

using namespace meterd::dashboard;
using Clock = std::chrono::steady_clock;

namespace {
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// Median of `runs` timings: robust against one run disturbed by other work on the machine.
template <typename F>
double median_of(int runs, F f) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    const auto t = Clock::now();
    f();
    times.push_back(ms_since(t));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

[[noreturn]] void wrong_size(const char* what, std::size_t got, std::size_t want) {
  std::fprintf(stderr, "query check failed: %zu %s, expected %zu\n", got, what, want);
  std::exit(1);
}
}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir = "/tmp/meterd-bench";
  const char* lines_file = nullptr;
  int days = 365;
  bool reuse = false;  // query an existing store from an earlier run with the same --days
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    else if (!std::strcmp(argv[i], "--lines") && i + 1 < argc) lines_file = argv[++i];
    else if (!std::strcmp(argv[i], "--days") && i + 1 < argc) days = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--reuse")) reuse = true;
  }
  if (days < 1) {
    std::fprintf(stderr, "--days must be at least 1\n");
    return 2;
  }
  if (reuse && lines_file) {
    std::fprintf(stderr, "--reuse writes no line protocol\n");
    return 2;
  }
  if (!reuse) std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  StoreOptions options;
  options.file = dir / "history.sqlite";
  options.raw_days = 0;
  auto zone = meterd::TimeZone::load("Europe/Zurich");
  std::unique_ptr<std::ofstream> lines;
  if (lines_file) lines = std::make_unique<std::ofstream>(lines_file);
  const std::int64_t t0 = 1'672'527'600'000;  // 2023-01-01T00:00+01:00
  const std::int64_t step = 5000, n = days * 86400LL * 1000 / step;
  std::uint64_t values = 0;
  double ingest_ms = 0;
  if (reuse) {
    values = static_cast<std::uint64_t>(n) * 4;
  } else {
    HistoryStore store(options, zone);
    std::mt19937 rng(1);
    std::normal_distribution<double> noise(0, 25);
    double power[2] = {400, 900}, reg[2] = {1'234'567, 7'654'321};
    const char* meters[2] = {"house", "heatpump"};
    const auto start = Clock::now();
    for (std::int64_t i = 0; i < n; ++i) {
      const std::int64_t t = t0 + i * step;
      for (int m = 0; m < 2; ++m) {
        // A daily load shape plus noise, in whole watts as meters report it.
        const double shape = 300 * std::sin(static_cast<double>(i % 17280) / 17280.0 * 6.283);
        power[m] = std::max(20.0, power[m] + noise(rng) + (shape + 500 * (m + 1) - power[m]) * 0.01);
        const double w = std::round(power[m]);
        reg[m] += w * 5.0 / 3600.0;
        const double wh = std::round(reg[m]);  // Wh register
        store.add(meters[m], "active_power_import", "W", {t, w});
        store.add(meters[m], "active_energy_import", "Wh", {t, wh});
        values += 2;
        if (lines) *lines << "reading,meter=" << meters[m] << " active_power_import=" << w << ",active_energy_import=" << wh << " " << t << "\n";
      }
      if (i % 720 == 719) store.flush();
    }
    store.flush();
    ingest_ms = ms_since(start);
  }
  HistoryStore store(options, zone);
  const auto space = store.space();
  std::printf("values stored          %llu (%d days, 2 meters x 2 quantities, every 5 s)\n",
              static_cast<unsigned long long>(values), days);
  if (!reuse)
    std::printf("ingest                 %.0f values/s (%.1f s, with rollups)\n", values / (ingest_ms / 1000), ingest_ms / 1000);
  std::printf("raw chunks             %.3f bytes/value\n", static_cast<double>(space.tier_bytes.at("raw")) / values);
  std::printf("whole file, all tiers  %.3f bytes/value (%llu bytes)\n", static_cast<double>(space.file_bytes) / values,
              static_cast<unsigned long long>(space.file_bytes));
  Statistics stats(store, Prices{{}, 0.3, 0, 0, "CHF"});
  const auto end = t0 + days * 86'400'000LL;
  double year = median_of(11, [&] {
    for (const char* m : {"house", "heatpump"}) {
      auto e = stats.energy(m, Direction::import_energy, Period::day, t0, end);
      if (e.empty()) wrong_size("days of energy", 0, static_cast<std::size_t>(days));
    }
  });
  // Every minute and every 5 s of the span holds data, so the answers have exact sizes; a
  // span shorter than the week queried only fills the part it covers.
  const std::size_t week_minutes = static_cast<std::size_t>(std::min(days, 7)) * 1440, day_points = 17280;
  double week = median_of(11, [&] {
    for (const char* m : {"house", "heatpump"}) {
      auto b = store.buckets(store.find(m, "active_power_import")->id, Tier::minute, end - 7 * 86'400'000LL, end);
      if (b.size() != week_minutes) wrong_size("1-minute buckets in the week", b.size(), week_minutes);
    }
  });
  double day = median_of(11, [&] {
    for (const char* m : {"house", "heatpump"}) {
      auto p = store.raw(store.find(m, "active_power_import")->id, end - 86'400'000LL, end);
      if (p.size() != day_points) wrong_size("raw points in the day", p.size(), day_points);
    }
  });
  std::printf("median of 11 runs:\n");
  std::printf("query daily energy, year, 2 meters      %.2f ms\n", year);
  std::printf("query power 1-min, week, 2 meters       %.2f ms\n", week);
  std::printf("query power raw 5 s, day, 2 meters      %.2f ms\n", day);
  return 0;
}
