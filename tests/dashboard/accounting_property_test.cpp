// The accounting rule as a property: random register series (pushes from 1 s to 1 h with
// jitter, silences from minutes to days, both DST days of Europe/Zurich, a reset and a meter
// replacement) go into a real store file; every hour, day, week and month and 200 random
// ranges must equal the delta of the linearly interpolated register within 1 Wh.
#include <gtest/gtest.h>

#include <random>

#include "statistics.hpp"
#include "store_fixture.hpp"

using namespace meterd::dashboard;
using meterd::dashboard::testing::TempStore;
using meterd::dashboard::testing::zurich_ms;

namespace {

struct Sample {
  std::int64_t t_ms;
  double kwh;        // what the meter shows
  double consumed;   // Wh since the first sample by the register's differences, resets and swaps included
};

// A register in kWh with 3 decimals (Wh resolution) over about eight months of 2024.
std::vector<Sample> random_register(std::uint32_t seed, std::int64_t from, std::int64_t to) {
  std::mt19937_64 rng(seed);
  const std::int64_t intervals[] = {1000, 5000, 10000, 60000, 900'000, 3'600'000};
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<Sample> out;
  // The meter integrates exactly and shows the integral floored to whole Wh.
  double exact_kwh = 12345.678, kwh = exact_kwh, consumed = 0, watts = 500;
  std::int64_t t = from;
  bool reset_done = false, swap_done = false;
  const auto push = [&](std::int64_t at, double wh) {
    exact_kwh += wh / 1000;
    const double shown = std::floor(exact_kwh * 1000 + 1e-6) / 1000;
    consumed += (shown - kwh) * 1000;
    kwh = shown;
    out.push_back({at, kwh, consumed});
  };
  out.push_back({t, kwh, 0});
  while (t < to) {
    const auto interval = intervals[rng() % std::size(intervals)];
    // A segment of at most ~4000 pushes and at most 4 days.
    const auto length = std::min<std::int64_t>(4000 * interval, static_cast<std::int64_t>(unit(rng) * 4 * 86'400'000.0) + interval);
    const auto end = std::min(to, t + length);
    while (t < end) {
      const auto jitter = static_cast<std::int64_t>((unit(rng) - 0.5) * 0.4 * static_cast<double>(interval));
      const auto next = t + interval + jitter;
      watts = std::clamp(watts + (unit(rng) - 0.5) * 800, 0.0, 9000.0);
      push(next, watts * static_cast<double>(next - t) / 3.6e6);
      t = next;
    }
    // Silence: none, minutes, hours or days; the register goes on counting meanwhile.
    const double r = unit(rng);
    const std::int64_t silence = r < 0.4 ? 0 : r < 0.7 ? static_cast<std::int64_t>(unit(rng) * 3'600'000) + 300'000
                                 : r < 0.9 ? static_cast<std::int64_t>(unit(rng) * 86'400'000)
                                           : static_cast<std::int64_t>(unit(rng) * 4 * 86'400'000.0);
    if (silence > 0) {
      t += silence;
      push(t, 700 * static_cast<double>(silence) / 3.6e6);
    }
    if (!reset_done && t > from + (to - from) / 3) {
      // Reset: the register restarts from zero; what it shows then was used since.
      t += 60000;
      consumed += 7;
      exact_kwh = kwh = 0.007;
      out.push_back({t, kwh, consumed});
      reset_done = true;
    } else if (!swap_done && t > from + 2 * (to - from) / 3) {
      // A new meter with its own reading: the swap itself (power off) uses nothing.
      t += 600'000;
      exact_kwh = kwh = 98765.432;
      out.push_back({t, kwh, consumed});
      swap_done = true;
    }
  }
  return out;
}

// The truth at an instant: consumption interpolated linearly, held outside the data.
double truth_at(const std::vector<Sample>& s, std::int64_t t) {
  if (t <= s.front().t_ms) return s.front().consumed;
  if (t >= s.back().t_ms) return s.back().consumed;
  const auto it = std::upper_bound(s.begin(), s.end(), t, [](std::int64_t x, const Sample& p) { return x < p.t_ms; });
  const auto& b = *it;
  const auto& a = *std::prev(it);
  return a.consumed + (b.consumed - a.consumed) * static_cast<double>(t - a.t_ms) / static_cast<double>(b.t_ms - a.t_ms);
}

double truth(const std::vector<Sample>& s, std::int64_t a, std::int64_t b) { return truth_at(s, b) - truth_at(s, a); }

// The readings near a period, for a failure message.
std::string around(const std::vector<Sample>& s, std::int64_t a, std::int64_t b) {
  std::string out;
  auto it = std::upper_bound(s.begin(), s.end(), a, [](std::int64_t x, const Sample& p) { return x < p.t_ms; });
  if (it != s.begin()) --it;
  for (int n = 0; it != s.end() && n < 12 && it->t_ms <= b + 1; ++it, ++n)
    out += "\n  " + std::to_string(it->t_ms) + " " + std::to_string(it->kwh) + " kWh, consumed " + std::to_string(it->consumed);
  return out;
}

}  // namespace

TEST(AccountingProperty, EveryPeriodAndRangeEqualsTheInterpolatedRegister) {
  for (const std::uint32_t seed : {11u, 12u}) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " (rerun with this seed to reproduce)");
    TempStore t("property-" + std::to_string(seed));
    auto& store = t.open();
    const auto& z = *t.zone;
    const auto from = zurich_ms(z, 2024, 3, 20), to = zurich_ms(z, 2024, 11, 10);  // DST days 31 Mar and 27 Oct
    const auto samples = random_register(seed, from, to);
    std::mt19937 order(seed);
    // Mostly in order, flushed at random moments; now and then a block arrives late.
    for (std::size_t i = 0; i < samples.size(); ++i) {
      store.add("m", "active_energy_import", "kWh", {samples[i].t_ms, samples[i].kwh});
      if (order() % 3000 == 0) store.flush();
    }
    store.flush();
    Statistics stats(store, Prices{});
    std::size_t checked = 0;
    const auto check = [&](Period period, const char* name) {
      const auto rows = stats.energy("m", Direction::import_energy, period, from - 86'400'000LL, to + 86'400'000LL);
      for (const auto& e : rows) {
        const double want = truth(samples, e.start_ms, e.end_ms);
        ASSERT_NEAR(e.wh.value_or(0), want, 1.0) << name << " from " << e.start_ms << " to " << e.end_ms << around(samples, e.start_ms, e.end_ms);
        ASSERT_LE(e.estimated_wh, e.wh.value_or(0) + 1e-6);
        ASSERT_GE(e.coverage, 0);
        ASSERT_LE(e.coverage, 1);
        ++checked;
      }
    };
    check(Period::hour, "hour");
    check(Period::day, "day");
    check(Period::week, "week");
    check(Period::month, "month");
    std::uniform_int_distribution<std::int64_t> at(from - 3'600'000, to);
    std::uniform_int_distribution<std::int64_t> length(1000, 10 * 86'400'000LL);
    for (int i = 0; i < 200; ++i) {
      const auto a = at(order), b = a + length(order);
      const auto e = stats.energy_range("m", Direction::import_energy, a, b);
      ASSERT_NEAR(e.wh.value_or(0), truth(samples, a, b), 1.0) << "range " << a << " to " << b;
      ++checked;
    }
    EXPECT_GT(checked, 5000u);
  }
}
