#include "history_store.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <random>

#include "energy_step.hpp"
#include "store_fixture.hpp"

using namespace meterd::dashboard;
using meterd::dashboard::testing::TempStore;

namespace {
constexpr std::int64_t kT0 = 1'700'000'000'000;  // 2023-11-14, an arbitrary start

// Two days of 5-s power with random gaps, as a live meter would deliver it.
std::vector<Point> noisy_power(int seconds, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 20);
  std::uniform_int_distribution<int> gap(0, 2000);
  std::vector<Point> pts;
  double w = 500;
  for (std::int64_t t = 0; t < seconds * 1000LL; t += 5000) {
    if (gap(rng) == 0) t += 600'000 + 5000 * gap(rng);  // occasional outage, 10 to 180 min
    w = std::max(0.0, w + noise(rng));
    pts.push_back({kT0 + t, std::round(w)});
  }
  return pts;
}

// Reference: every step split over the buckets it overlaps in proportion to time, by the
// same step rule, computed straight from all raw points.
std::map<std::int64_t, std::pair<double, std::uint32_t>> reference(const std::vector<Point>& pts, const BucketStart& start,
                                                                   const std::function<std::int64_t(std::int64_t)>& next,
                                                                   const SeriesAccounting& a) {
  std::map<std::int64_t, std::pair<double, std::uint32_t>> out;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    ++out[start(pts[i].t_ms)].second;
    if (i == 0) continue;
    const auto wh = step_energy(a.kind, pts[i - 1], pts[i], a.factor, a.rules).wh;
    if (!wh) continue;
    const auto t0 = pts[i - 1].t_ms, t1 = pts[i].t_ms;
    for (auto cell = start(t0); cell < t1; cell = next(cell)) {
      const auto overlap = std::min(next(cell), t1) - std::max(cell, t0);
      out[cell].first += *wh * static_cast<double>(overlap) / static_cast<double>(t1 - t0);
    }
  }
  return out;
}
}  // namespace

TEST(HistoryStore, RollupsEqualRecomputationFromRaw) {
  TempStore t("rollups");
  auto& store = t.open();
  const auto pts = noisy_power(2 * 86400, 3);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    ASSERT_EQ(store.add("m1", "active_power_import", "W", pts[i]), AddResult::stored);
    if (i % 5000 == 0) store.flush();  // flushing mid-hour must not change the result
  }
  store.flush();
  const auto info = *store.find("m1", "active_power_import");
  EXPECT_EQ(store.raw(info.id, kT0 - 1, kT0 + 3 * 86'400'000LL).size(), pts.size());
  SeriesAccounting a{SeriesKind::power, 1.0, {}};
  a.rules.max_gap_ms = store.gap_limit_ms(info.id);
  EXPECT_EQ(a.rules.max_gap_ms, 60'000) << "three 5-s steps, at least a minute";
  const auto width = [](std::int64_t w) { return [w](std::int64_t x) { return x + w; }; };
  const std::tuple<Tier, BucketStart, std::function<std::int64_t(std::int64_t)>> tiers[] = {
      {Tier::minute, fixed_width(60'000), width(60'000)}, {Tier::quarter, fixed_width(900'000), width(900'000)},
      {Tier::hour, fixed_width(3'600'000), width(3'600'000)},
      {Tier::day, [&](std::int64_t x) { return store.day_start(x); }, [&](std::int64_t x) { return store.next_day_start(x); }}};
  for (const auto& [tier, fn, next] : tiers) {
    auto want = reference(pts, fn, next, a);
    std::erase_if(want, [](const auto& cell) { return cell.second.second == 0; });  // the API lists buckets with samples
    const auto got = store.buckets(info.id, tier, kT0 - 2 * 86'400'000LL, kT0 + 3 * 86'400'000LL);
    ASSERT_EQ(got.size(), want.size()) << tier_name(tier);
    double sum_got = 0, sum_want = 0;
    for (const auto& b : got) {
      const auto& w = want.at(b.start_ms);
      EXPECT_EQ(b.count, w.second) << tier_name(tier) << " " << b.start_ms;
      EXPECT_NEAR(b.energy_wh, w.first, 0.01) << tier_name(tier) << " " << b.start_ms;
      sum_got += b.energy_wh;
      sum_want += w.first;
    }
    EXPECT_NEAR(sum_got, sum_want, 0.5) << tier_name(tier);
  }
}

TEST(HistoryStore, WindowNotOnPartBoundariesIsTheSameSliceWithTheStepBefore) {
  TempStore t("window");
  auto& store = t.open();
  const auto pts = noisy_power(2 * 86400, 7);
  for (const auto& p : pts) ASSERT_EQ(store.add("m1", "active_power_import", "W", p), AddResult::stored);
  store.flush();
  const auto id = store.find("m1", "active_power_import")->id;
  for (Tier tier : {Tier::minute, Tier::quarter, Tier::hour}) {
    const auto all = store.buckets(id, tier, kT0 - 86'400'000LL, kT0 + 3 * 86'400'000LL);
    // Starts mid-hour and mid-minute, ends mid-day.
    const std::int64_t from = kT0 + 5'430'000 + 30'000, to = kT0 + 86'400'000LL + 1'020'000;
    const auto part = store.buckets(id, tier, from, to);
    std::vector<Bucket> want;
    for (const auto& b : all)
      if (b.start_ms >= from && b.start_ms < to) want.push_back(b);
    ASSERT_EQ(part.size(), want.size()) << tier_name(tier);
    ASSERT_FALSE(part.empty());
    for (std::size_t i = 0; i < part.size(); ++i) {
      EXPECT_EQ(part[i].start_ms, want[i].start_ms) << tier_name(tier);
      EXPECT_EQ(part[i].count, want[i].count) << tier_name(tier);
      // Includes its share of the steps from the bucket before the window and to the one after.
      EXPECT_DOUBLE_EQ(part[i].energy_wh, want[i].energy_wh) << tier_name(tier) << " " << i;
    }
  }
  EXPECT_TRUE(store.buckets(id, Tier::minute, kT0 + 10 * 86'400'000LL, kT0 + 11 * 86'400'000LL).empty());
}

TEST(HistoryStore, RetentionDropsOldDetailButKeepsCoarseTiers) {
  TempStore t("retention");
  t.options.raw_days = 1;
  t.options.minute_days = 2;
  auto& store = t.open();
  for (std::int64_t s = 0; s < 4 * 86400; s += 60) store.add("m", "active_power_import", "W", {kT0 + s * 1000, 100});
  store.flush();
  const auto id = store.find("m", "active_power_import")->id;
  const auto now = kT0 + 4 * 86'400'000LL;
  store.enforce_retention(now);
  EXPECT_GE(*store.oldest(id, Tier::raw), now - 86'400'000LL - 3'600'000);
  EXPECT_GE(*store.oldest(id, Tier::minute), now - 2 * 86'400'000LL - 3'600'000);
  EXPECT_LE(*store.oldest(id, Tier::hour), kT0);
  EXPECT_LE(*store.oldest(id, Tier::day), kT0);
  // A point older than raw retention is refused rather than rebuilding rollups from a fragment.
  EXPECT_EQ(store.add("m", "active_power_import", "W", {kT0, 1}), AddResult::refused);
}

// A backfill of one meter's past while another meter is live: hours far older than raw
// retention are still taken whole, even when retention runs in the middle of one of them.
TEST(HistoryStore, OldHistoryOfOneMeterIsTakenWhileAnotherIsLive) {
  TempStore t("backfill");
  t.options.raw_days = 1;
  auto& store = t.open();
  const auto t0 = kT0 - kT0 % 86'400'000;  // whole minutes and hours
  const auto now = t0 + 100 * 86'400'000LL;
  ASSERT_EQ(store.add("live", "active_power_import", "W", {now, 500}), AddResult::stored);
  for (std::int64_t s = 0; s < 86400; s += 60) {
    ASSERT_EQ(store.add("old", "active_power_import", "W", {t0 + s * 1000, static_cast<double>(s % 3600)}), AddResult::stored) << s;
    if (s % 1800 == 0) {
      store.flush();
      store.enforce_retention(now);
    }
  }
  store.flush();
  store.enforce_retention(now);
  const auto id = store.find("old", "active_power_import")->id;
  const auto minutes = store.buckets(id, Tier::minute, t0, t0 + 86'400'000LL);
  ASSERT_EQ(minutes.size(), 1440u);
  const auto hours = store.buckets(id, Tier::hour, t0, t0 + 86'400'000LL);
  ASSERT_EQ(hours.size(), 24u);
  for (const auto& h : hours) {
    EXPECT_EQ(h.count, 60u);
    EXPECT_DOUBLE_EQ(h.mean(), 1770);  // 0, 60, ..., 3540
  }
  EXPECT_FALSE(store.oldest(id, Tier::raw).has_value());  // the detail itself is past retention
  // Now the hour's raw points are gone for good; a straggler cannot rebuild its rollups.
  EXPECT_EQ(store.add("old", "active_power_import", "W", {t0 + 30'000, 1}), AddResult::refused);
}

TEST(HistoryStore, DiskBudgetIsHeldByDroppingFinestOldestFirst) {
  TempStore t("budget");
  auto& store = t.open();
  const auto pts = noisy_power(10 * 86400, 5);
  for (const auto& p : pts) store.add("m", "active_power_import", "W", p);
  store.flush();
  const auto before = store.space();
  ASSERT_GT(before.used_bytes, 200'000u);
  t.store.reset();
  // Room for everything but half of the raw points: only the oldest raw detail has to go.
  t.options.disk_budget_bytes = before.used_bytes - before.tier_bytes.at("raw") / 2;
  auto& again = t.open();
  again.enforce_retention(pts.back().t_ms);
  const auto after = again.space();
  EXPECT_LE(after.used_bytes, t.options.disk_budget_bytes);
  EXPECT_LT(after.file_bytes, before.file_bytes);
  const auto id = again.find("m", "active_power_import")->id;
  const auto oldest_raw = again.oldest(id, Tier::raw);
  ASSERT_TRUE(oldest_raw) << "more raw detail was dropped than the budget needs";
  EXPECT_GT(*oldest_raw, pts.front().t_ms);                        // oldest raw went first
  EXPECT_LE(*again.oldest(id, Tier::minute), pts.front().t_ms);    // coarser tiers untouched
  EXPECT_LE(*again.oldest(id, Tier::day), pts.front().t_ms);       // day totals kept
  EXPECT_EQ(after.budget_bytes, t.options.disk_budget_bytes);
}

TEST(HistoryStore, ReimportedIntervalsReplaceInsteadOfDoubling) {
  TempStore t("intervals");
  auto& store = t.open();
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < 4; ++i)
      store.add_interval("m", "active_energy_import", "kWh", kT0 + i * 900'000LL, kT0 + (i + 1) * 900'000LL, 0.25, "NT");
    store.flush();
  }
  const auto id = store.find("m", "active_energy_import#interval")->id;
  const auto v = store.intervals(id, kT0, kT0 + 3'600'000);
  ASSERT_EQ(v.size(), 4u);
  double sum = 0;
  for (const auto& x : v) sum += x.wh;
  EXPECT_DOUBLE_EQ(sum, 1000.0);
}

TEST(HistoryStore, KillNineLosesNothingCommittedAndReopensCleanly) {
  TempStore t("kill9");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    HistoryStore store(t.options, t.zone);
    std::int64_t i = 0;
    for (; i < 20000; ++i) {
      store.add("m", "active_energy_import", "Wh", {kT0 + i * 5000, static_cast<double>(i)});
      if (i % 1000 == 999) store.flush();
    }
    const std::int64_t committed = i;
    (void)!::write(fds[1], &committed, sizeof committed);
    // Keep writing without committing until killed.
    for (;; ++i) {
      store.add("m", "active_energy_import", "Wh", {kT0 + i * 5000, static_cast<double>(i)});
      if (i % 3000 == 0) ::usleep(1000);
    }
  }
  ::close(fds[1]);
  std::int64_t committed = 0;
  ASSERT_EQ(::read(fds[0], &committed, sizeof committed), static_cast<ssize_t>(sizeof committed));
  ::usleep(20000);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto& store = t.open();
  const auto id = store.find("m", "active_energy_import")->id;
  const auto pts = store.raw(id, kT0, kT0 + 1'000'000'000LL);
  ASSERT_EQ(static_cast<std::int64_t>(pts.size()), committed);
  for (std::int64_t i = 0; i < committed; ++i) ASSERT_EQ(pts[static_cast<std::size_t>(i)].value, static_cast<double>(i));
  store.add("m", "active_energy_import", "Wh", {kT0 + committed * 5000, 1.0 * committed});
  EXPECT_NO_THROW(store.flush());
}

TEST(HistoryStore, CorruptFileIsReportedAsCorrupt) {
  TempStore t("corrupt");
  {
    std::ofstream out(t.options.file, std::ios::binary);
    out << std::string(8192, 'x');
  }
  try {
    t.open();
    FAIL() << "opened a corrupt file";
  } catch (const StoreError& e) {
    EXPECT_TRUE(e.corrupt()) << e.what();
  }
}

TEST(HistoryStore, SameInstantTwiceReplaces) {
  TempStore t("dupes");
  auto& store = t.open();
  store.add("m", "voltage_l1", "V", {kT0, 230});
  store.add("m", "voltage_l1", "V", {kT0, 231});
  store.add("m", "voltage_l1", "V", {kT0 - 5000, 229});
  store.flush();
  const auto pts = store.raw(store.find("m", "voltage_l1")->id, kT0 - 10000, kT0 + 10000);
  ASSERT_EQ(pts.size(), 2u);
  EXPECT_EQ(pts[0].value, 229);
  EXPECT_EQ(pts[1].value, 231);
}

// A backfill of days flushed at once is written in bounded batches of hours; the rollups
// must be those of the same points flushed hour by hour, across batch and day boundaries.
TEST(HistoryStore, BackfillFlushedAtOnceEqualsHourByHour) {
  TempStore once("backfill-once"), hourly("backfill-hourly");
  auto& a = once.open();
  auto& b = hourly.open();
  const auto power = noisy_power(6 * 86400, 11);
  double wh = 1'000'000;
  for (std::size_t i = 0; i < power.size(); ++i) {
    const Point energy{power[i].t_ms, wh += std::round(power[i].value / 720)};
    for (auto* store : {&a, &b}) {
      ASSERT_NE(store->add("m1", "active_power_import", "W", power[i]), AddResult::backwards);
      ASSERT_NE(store->add("m1", "active_energy_import", "Wh", energy), AddResult::backwards);
    }
    if (i + 1 < power.size() && power[i + 1].t_ms / 3'600'000 != power[i].t_ms / 3'600'000) b.flush();
  }
  EXPECT_GT(a.unflushed_points(), 2 * 24 * 720u) << "more hours than one batch";
  a.flush();
  b.flush();
  EXPECT_EQ(a.unflushed_points(), 0u);
  for (const auto* quantity : {"active_power_import", "active_energy_import"}) {
    const auto ia = a.find("m1", quantity)->id, ib = b.find("m1", quantity)->id;
    for (Tier tier : {Tier::minute, Tier::quarter, Tier::hour, Tier::day}) {
      const auto ga = a.buckets(ia, tier, kT0 - 86'400'000LL, kT0 + 8 * 86'400'000LL);
      const auto gb = b.buckets(ib, tier, kT0 - 86'400'000LL, kT0 + 8 * 86'400'000LL);
      ASSERT_EQ(ga.size(), gb.size()) << quantity << " " << tier_name(tier);
      ASSERT_FALSE(ga.empty());
      for (std::size_t i = 0; i < ga.size(); ++i) {
        EXPECT_EQ(ga[i].start_ms, gb[i].start_ms) << quantity << " " << tier_name(tier);
        EXPECT_EQ(ga[i].count, gb[i].count) << quantity << " " << tier_name(tier) << " " << ga[i].start_ms;
        EXPECT_EQ(ga[i].sum, gb[i].sum) << quantity << " " << tier_name(tier) << " " << ga[i].start_ms;
        EXPECT_EQ(ga[i].last, gb[i].last) << quantity << " " << tier_name(tier) << " " << ga[i].start_ms;
        EXPECT_NEAR(ga[i].energy_wh, gb[i].energy_wh, 1e-6) << quantity << " " << tier_name(tier) << " " << ga[i].start_ms;
      }
    }
  }
}

// Live data is appended to an open chunk write by write; a stop in the middle of an hour and
// a late point must leave the same raw points and rollups as one write of everything, and
// hours no longer taking points end up compressed.
TEST(HistoryStore, AppendedWritesEqualOneWriteAndAreSealed) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> step(0, 20);
  std::vector<Point> energy, power;
  double wh = 123456.789;
  for (std::int64_t t = 0; t < 5 * 3'600'000LL; t += 5000) {
    if (t == 7'200'000) t += 300'000;  // a five-minute outage
    wh += step(rng) / 1000.0;
    energy.push_back({kT0 + t, std::round(wh * 1000) / 1000});
    power.push_back({kT0 + t, static_cast<double>(step(rng) * 37)});
  }
  TempStore whole("append-whole"), parts("append-parts");
  whole.options.raw_days = parts.options.raw_days = 0;
  auto& w = whole.open();
  for (std::size_t i = 0; i < energy.size(); ++i) {
    w.add("m", "active_energy_import", "kWh", energy[i]);
    w.add("m", "active_power_import", "W", power[i]);
  }
  w.flush();
  auto* p = &parts.open();
  const auto late = energy.size() - 100;
  for (std::size_t i = 0; i < energy.size(); ++i) {
    if (i == late) continue;  // arrives after its successors
    ASSERT_EQ(p->add("m", "active_energy_import", "kWh", energy[i]), AddResult::stored);
    ASSERT_EQ(p->add("m", "active_power_import", "W", power[i]), AddResult::stored);
    if (i % 7 == 3) p->flush();
    if (i == 1000) {  // stopped in the middle of an hour
      parts.store.reset();
      p = &parts.open();
    }
    if (i == late + 30) {
      ASSERT_EQ(p->add("m", "active_energy_import", "kWh", energy[late]), AddResult::out_of_order);
      ASSERT_EQ(p->add("m", "active_power_import", "W", power[late]), AddResult::out_of_order);
    }
  }
  p->flush();
  for (const char* quantity : {"active_energy_import", "active_power_import"}) {
    // A register's energy is exact; energy integrated from power is stored to the mWh, so each
    // write that adds to a bucket may round once more.
    const double energy_tolerance = std::string(quantity) == "active_energy_import" ? 1e-6 : 0.02;
    const auto a = w.find("m", quantity)->id, b = p->find("m", quantity)->id;
    const auto from = kT0 - 86'400'000LL, to = kT0 + 86'400'000LL;
    const auto raw_a = w.raw(a, from, to), raw_b = p->raw(b, from, to);
    ASSERT_EQ(raw_a.size(), raw_b.size());
    for (std::size_t i = 0; i < raw_a.size(); ++i) {
      ASSERT_EQ(raw_a[i].t_ms, raw_b[i].t_ms);
      ASSERT_EQ(raw_a[i].value, raw_b[i].value);
    }
    for (const auto tier : {Tier::minute, Tier::quarter, Tier::hour, Tier::day}) {
      const auto x = w.buckets(a, tier, from, to), y = p->buckets(b, tier, from, to);
      ASSERT_EQ(x.size(), y.size()) << tier_name(tier);
      for (std::size_t i = 0; i < x.size(); ++i) {
        SCOPED_TRACE(std::string(quantity) + " " + tier_name(tier) + " bucket " + std::to_string(i));
        EXPECT_EQ(x[i].start_ms, y[i].start_ms);
        EXPECT_EQ(x[i].count, y[i].count);
        EXPECT_EQ(x[i].min, y[i].min);
        EXPECT_EQ(x[i].max, y[i].max);
        EXPECT_EQ(x[i].first_ms, y[i].first_ms);
        EXPECT_EQ(x[i].last_ms, y[i].last_ms);
        EXPECT_NEAR(x[i].sum, y[i].sum, 1e-6);
        EXPECT_NEAR(x[i].energy_wh, y[i].energy_wh, energy_tolerance);
        EXPECT_NEAR(x[i].estimated_wh, y[i].estimated_wh, energy_tolerance);
        EXPECT_EQ(x[i].covered_ms, y[i].covered_ms);
      }
    }
    const auto e_a = w.energy(a, Tier::day, {w.day_start(kT0), w.next_day_start(kT0)});
    const auto e_b = p->energy(b, Tier::day, {p->day_start(kT0), p->next_day_start(kT0)});
    ASSERT_EQ(e_a.size(), 1u);
    EXPECT_NEAR(e_a[0].wh, e_b[0].wh, energy_tolerance);
  }
  // Left open: at most the newest two hours of each series; the stop's hour is sealed by the
  // next retention pass.
  parts.store.reset();
  p = &parts.open();
  const auto open_chunks = [&] {
    Db db(parts.options.file);
    return db.scalar("SELECT COUNT(*) FROM raw_chunk WHERE substr(data, 1, 1) = x'00'");
  };
  EXPECT_LE(open_chunks(), 4);
  p->enforce_retention(kT0 + 10 * 3'600'000LL);
  EXPECT_EQ(open_chunks(), 0);
  const auto id = p->find("m", "active_energy_import")->id;
  EXPECT_EQ(p->raw(id, kT0, kT0 + 86'400'000LL).size(), energy.size());
}
