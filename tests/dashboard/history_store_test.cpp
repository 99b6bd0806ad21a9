#include "history_store.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <random>

#include "bucket_codec.hpp"
#include "energy_step.hpp"
#include "point_codec.hpp"
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

// Runs `write` on the store of `t` in a child process, which reports through the pipe end it
// is given until the test kills it; returns the child and the pipe's reading end.
std::pair<pid_t, int> fork_writer(const TempStore& t, void (*write)(HistoryStore&, int)) {
  int fds[2];
  if (::pipe(fds) != 0) return {-1, -1};
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    HistoryStore store(t.options, t.zone);
    write(store, fds[1]);
    ::_exit(0);
  }
  ::close(fds[1]);
  return {child, fds[0]};
}

bool kill_nine(pid_t child) {
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFSIGNALED(status);
}

// The same buckets, energy within `energy_tolerance`.
void expect_same_buckets(const std::vector<Bucket>& x, const std::vector<Bucket>& y, const std::string& what,
                         double energy_tolerance = 1e-3) {
  ASSERT_EQ(x.size(), y.size()) << what;
  for (std::size_t i = 0; i < x.size(); ++i) {
    SCOPED_TRACE(what + " bucket " + std::to_string(i));
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
  // The detail itself is past retention, but for the newest two hours, which may still take
  // points (their minutes are derived from them): those go when the series moves on.
  EXPECT_GE(*store.oldest(id, Tier::raw), t0 + 22 * 3'600'000LL);
  // Now the hour's raw points are gone for good; a straggler cannot rebuild its rollups.
  EXPECT_EQ(store.add("old", "active_power_import", "W", {t0 + 30'000, 1}), AddResult::refused);
}

// A meter removed for good: its newest hours, kept open for late points, still leave raw
// retention once a whole retention pass went by without a point for them; their minutes stay.
TEST(HistoryStore, RetentionDropsTheLastHoursOfASeriesThatStopped) {
  TempStore t("stopped");
  t.options.raw_days = 1;
  auto& store = t.open();
  const auto t0 = kT0 - kT0 % 3'600'000;
  for (std::int64_t s = 0; s < 3 * 3600; s += 60)
    ASSERT_EQ(store.add("gone", "active_power_import", "W", {t0 + s * 1000, 100.0 + s % 7}), AddResult::stored);
  store.flush();
  const auto id = store.find("gone", "active_power_import")->id;
  const auto minutes = store.buckets(id, Tier::minute, t0, t0 + 3 * 3'600'000LL);
  ASSERT_EQ(minutes.size(), 180u);
  const auto now = t0 + 10 * 86'400'000LL;
  store.enforce_retention(now);  // the pass that finds its open hours touched
  store.enforce_retention(now + 3'600'000);
  EXPECT_FALSE(store.oldest(id, Tier::raw).has_value()) << "raw hours older than raw_days remain";
  EXPECT_TRUE(store.raw(id, t0, t0 + 3 * 3'600'000LL).empty());
  expect_same_buckets(store.buckets(id, Tier::minute, t0, t0 + 3 * 3'600'000LL), minutes, "minutes stored before the raw points went");
  EXPECT_EQ(store.buckets(id, Tier::hour, t0, t0 + 3 * 3'600'000LL).size(), 3u);
  // A straggler for those hours is refused, not written into rollups it cannot rebuild.
  EXPECT_EQ(store.add("gone", "active_power_import", "W", {t0 + 3 * 3'600'000LL - 30'000, 1}), AddResult::refused);
  EXPECT_EQ(store.unflushed_points(), 0u);
}

// A day of 15-min buckets is about 1 KB: on pages of 4 KB it spilled to an overflow page of
// its own, most of which stayed empty. A new file has pages that keep it inline.
TEST(HistoryStore, NewFileHasPagesThatKeepADayOfRollupsInline) {
  TempStore t("pages");
  auto& store = t.open();
  for (const auto& p : noisy_power(3 * 86400, 9)) store.add("m", "active_power_import", "W", p);
  store.flush();
  t.store.reset();
  Db db(t.options.file);
  EXPECT_EQ(db.scalar("PRAGMA page_size"), 8192);
  // Overflow pages hold what a row does not keep inline; a row fits when none are needed.
  auto rows = db.prepare("SELECT LENGTH(data) FROM rollup WHERE tier=2");
  std::int64_t largest = 0;
  while (rows.step()) largest = std::max(largest, rows.int64(0));
  EXPECT_GT(largest, 1100) << "the data no longer makes a day of quarters larger than a 4 KB page keeps inline";
  EXPECT_LT(largest, (8192 - 12) * 64 / 255 - 23) << "a day of quarters spills from an 8 KB page";
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
  EXPECT_EQ(*again.oldest(id, Tier::minute) / 3'600'000, *oldest_raw / 3'600'000);  // minutes are derived from raw
  EXPECT_LE(*again.oldest(id, Tier::quarter), pts.front().t_ms);   // coarser tiers untouched
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
  const auto [child, from_child] = fork_writer(t, [](HistoryStore& store, int report) {
    std::int64_t i = 0;
    for (; i < 20000; ++i) {
      store.add("m", "active_energy_import", "Wh", {kT0 + i * 5000, static_cast<double>(i)});
      if (i % 1000 == 999) store.flush();
    }
    const std::int64_t committed = i;
    (void)!::write(report, &committed, sizeof committed);
    // Keep writing without committing until killed.
    for (;; ++i) {
      store.add("m", "active_energy_import", "Wh", {kT0 + i * 5000, static_cast<double>(i)});
      if (i % 3000 == 0) ::usleep(1000);
    }
  });
  ASSERT_GT(child, 0);
  std::int64_t committed = 0;
  ASSERT_EQ(::read(from_child, &committed, sizeof committed), static_cast<ssize_t>(sizeof committed));
  ::usleep(20000);
  ASSERT_TRUE(kill_nine(child));
  ::close(from_child);
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
      expect_same_buckets(x, y, std::string(quantity) + " " + tier_name(tier), energy_tolerance);
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

namespace {
// Real-looking 5-s data over local days: a register in kWh with three decimals and power in
// W with one, timestamps a few ms off the 5-s grid, and a 20-minute outage.
struct Readings {
  std::vector<Point> energy, power;
};
Readings meter_days(std::int64_t from_ms, std::int64_t to_ms, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> load(80, 3200);
  std::uniform_int_distribution<int> jitter(0, 40);
  Readings r;
  double kwh = 4711.123, w = 400;
  for (std::int64_t t = from_ms; t < to_ms; t += 5000) {
    if ((t - from_ms) % 86'400'000 == 50'000'000) t += 1'200'000;
    if (rng() % 40 == 0) w = std::round(load(rng) * 10) / 10;
    const std::int64_t at = t + jitter(rng);
    kwh += w * 5 / 3'600'000;
    r.energy.push_back({at, std::floor(kwh * 1000) / 1000});
    r.power.push_back({at, w});
  }
  return r;
}

}  // namespace

// Every tier, minutes derived from raw chunks included, against the energy computed straight
// from the raw points, over the two days of the year whose local length is not 24 h; then
// the same minutes once retention dropped the raw points and stored them instead.
TEST(HistoryStore, EveryTierMatchesRawAcrossDstDaysAndAfterRawRetention) {
  TempStore t("dst-tiers");
  t.options.raw_days = 30;
  t.options.minute_days = 0;
  auto& store = t.open();
  const auto& z = *t.zone;
  const std::pair<std::int64_t, std::int64_t> spans[] = {
      {meterd::dashboard::testing::zurich_ms(z, 2024, 3, 30), meterd::dashboard::testing::zurich_ms(z, 2024, 4, 1)},
      {meterd::dashboard::testing::zurich_ms(z, 2024, 10, 26), meterd::dashboard::testing::zurich_ms(z, 2024, 10, 28)}};
  ASSERT_EQ(meterd::dashboard::testing::zurich_ms(z, 2024, 4, 1) - meterd::dashboard::testing::zurich_ms(z, 2024, 3, 31), 23 * 3'600'000LL);
  ASSERT_EQ(meterd::dashboard::testing::zurich_ms(z, 2024, 10, 28) - meterd::dashboard::testing::zurich_ms(z, 2024, 10, 27), 25 * 3'600'000LL);
  Readings all;
  std::uint32_t seed = 1;
  for (const auto& [from, to] : spans) {
    const auto r = meter_days(from, to, seed++);
    for (std::size_t i = 0; i < r.energy.size(); ++i) {
      ASSERT_EQ(store.add("m", "active_energy_import", "kWh", r.energy[i]), AddResult::stored);
      ASSERT_EQ(store.add("m", "active_power_import", "W", r.power[i]), AddResult::stored);
      if (i % 997 == 0) store.flush();
    }
    all.energy.insert(all.energy.end(), r.energy.begin(), r.energy.end());
    all.power.insert(all.power.end(), r.power.begin(), r.power.end());
  }
  store.flush();
  const auto width = [](std::int64_t w) { return [w](std::int64_t x) { return x + w; }; };
  const std::tuple<Tier, BucketStart, std::function<std::int64_t(std::int64_t)>> tiers[] = {
      {Tier::minute, fixed_width(60'000), width(60'000)}, {Tier::quarter, fixed_width(900'000), width(900'000)},
      {Tier::hour, fixed_width(3'600'000), width(3'600'000)},
      {Tier::day, [&](std::int64_t x) { return store.day_start(x); }, [&](std::int64_t x) { return store.next_day_start(x); }}};
  const auto from = spans[0].first - 86'400'000LL, to = spans[1].second + 86'400'000LL;
  std::map<std::string, std::vector<Bucket>> minutes_from_raw;
  for (const auto& [quantity, unit, pts, kind] :
       {std::tuple{"active_energy_import", "kWh", &all.energy, SeriesKind::register_total},
        std::tuple{"active_power_import", "W", &all.power, SeriesKind::power}}) {
    const auto id = store.find("m", quantity)->id;
    SeriesAccounting a{kind, kind == SeriesKind::register_total ? 1000.0 : 1.0, {}};
    a.rules.max_gap_ms = store.gap_limit_ms(id);
    for (const auto& [tier, fn, next] : tiers) {
      auto want = reference(*pts, fn, next, a);
      std::erase_if(want, [](const auto& cell) { return cell.second.second == 0; });
      const auto got = store.buckets(id, tier, from, to);
      ASSERT_EQ(got.size(), want.size()) << quantity << " " << tier_name(tier);
      for (const auto& b : got) {
        const auto& w = want.at(b.start_ms);
        EXPECT_EQ(b.count, w.second) << quantity << " " << tier_name(tier) << " " << b.start_ms;
        EXPECT_NEAR(b.energy_wh, w.first, 0.01) << quantity << " " << tier_name(tier) << " " << b.start_ms;
      }
    }
    // Local days of 23 and 25 hours: the register's own difference, to the Wh.
    for (const auto& [day, hours] : {std::pair{meterd::dashboard::testing::zurich_ms(z, 2024, 3, 31), 23}, {meterd::dashboard::testing::zurich_ms(z, 2024, 10, 27), 25}}) {
      const auto days = store.buckets(id, Tier::day, day, day + 1);
      ASSERT_EQ(days.size(), 1u);
      EXPECT_EQ(store.next_day_start(day) - day, hours * 3'600'000LL);
      if (kind == SeriesKind::register_total) {
        const auto e = store.energy(id, Tier::day, {day, store.next_day_start(day)});
        const auto r = store.energy(id, Tier::raw, {day, store.next_day_start(day)});
        EXPECT_NEAR(e.at(0).wh, r.at(0).wh, 1.0) << hours << " h day";
      }
    }
    minutes_from_raw[quantity] = store.buckets(id, Tier::minute, from, to);
  }
  EXPECT_EQ(store.space().tier_entries.count("1m"), 0u) << "no minute rollups stored beside raw chunks";
  // Raw points of the spring days past retention: their minutes are stored first.
  store.enforce_retention(spans[0].second + 31 * 86'400'000LL);
  for (const auto& [quantity, minutes] : minutes_from_raw) {
    const auto id = store.find("m", quantity)->id;
    EXPECT_TRUE(store.raw(id, spans[0].first, spans[0].second).empty());
    EXPECT_FALSE(store.raw(id, spans[1].first, spans[1].second).empty());
    expect_same_buckets(store.buckets(id, Tier::minute, from, to), minutes, std::string(quantity) + " after retention");
    EXPECT_EQ(*store.oldest(id, Tier::minute), minutes.front().start_ms);
  }
  EXPECT_GT(store.space().tier_entries.at("1m"), 0u);
}

// A file of format 1 kept minute rollups for every hour beside its raw chunk: opening it
// removes those (they are derived now) and keeps the ones whose raw chunk is gone.
TEST(HistoryStore, FormatOneFileIsUpgradedOnOpen) {
  TempStore t("format1");
  const auto pts = noisy_power(86400, 21);
  std::vector<Bucket> want;
  std::int64_t id = 0;
  {
    auto& store = t.open();
    for (const auto& p : pts) store.add("m", "active_power_import", "W", p);
    store.flush();
    id = store.find("m", "active_power_import")->id;
    want = store.buckets(id, Tier::minute, kT0 - 86'400'000LL, kT0 + 2 * 86'400'000LL);
    t.store.reset();
  }
  // Rewrite it the way format 1 stored it: a minute part per raw hour, and one more part of
  // an hour whose raw chunk retention had dropped.
  const std::int64_t orphan_hour = kT0 / 3'600'000 - 5;
  Bucket orphan{};
  orphan.start_ms = orphan.first_ms = orphan.last_ms = orphan_hour * 3'600'000 + 60'000;
  orphan.count = 1;
  orphan.min = orphan.max = orphan.first = orphan.last = orphan.sum = 42;
  {
    Db db(t.options.file);
    SeriesAccounting a{SeriesKind::power, 1.0, {}};
    a.rules.max_gap_ms = 60'000;
    std::vector<std::pair<std::int64_t, std::string>> chunks;
    auto read = db.prepare("SELECT hour, data FROM raw_chunk WHERE series=?");
    read.bind(1, id);
    while (read.step()) chunks.emplace_back(read.int64(0), std::string(read.blob(1)));
    ASSERT_GT(chunks.size(), 20u);
    auto write = db.prepare("INSERT INTO rollup(series, tier, part, data) VALUES(?,1,?,?)");
    for (const auto& [hour, blob] : chunks) {
      write.bind(1, id).bind(2, hour).bind_blob(3, encode_buckets(build_buckets(decode_points(blob), fixed_width(60'000), a)));
      write.run();
    }
    write.bind(1, id).bind(2, orphan_hour).bind_blob(3, encode_buckets({orphan}));
    write.run();
    db.exec("PRAGMA user_version=0");
  }
  auto& store = t.open();
  {
    Db db(t.options.file);
    EXPECT_EQ(db.scalar("PRAGMA user_version"), 2);
    EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM rollup WHERE tier=1"), 1) << "only the part without raw points is kept";
  }
  auto got = store.buckets(id, Tier::minute, kT0 - 86'400'000LL, kT0 + 2 * 86'400'000LL);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.front().start_ms, orphan.start_ms);
  EXPECT_EQ(got.front().mean(), 42);
  got.erase(got.begin());
  expect_same_buckets(got, want, "upgraded");
  t.store.reset();
  {
    Db db(t.options.file);
    db.exec("PRAGMA user_version=3");
  }
  try {
    t.open();
    FAIL() << "opened a file of a newer format";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer meterd"), std::string::npos) << e.what();
  }
}

// Writes in small slices, with points arriving between them, leave what one write leaves.
TEST(HistoryStore, SlicedWritesEqualOneWrite) {
  TempStore whole("slices-whole"), sliced("slices-parts");
  auto& w = whole.open();
  auto& s = sliced.open();
  int passes = 0, slices = 0;
  for (std::int64_t i = 0; i < 3 * 720; ++i) {
    for (int m = 0; m < 30; ++m) {
      const Point p{kT0 + i * 5000 + m, static_cast<double>((i * 7 + m * 13) % 500)};
      const auto meter = "m" + std::to_string(m);
      ASSERT_EQ(w.add(meter, "active_power_import", "W", p), AddResult::stored);
      ASSERT_EQ(s.add(meter, "active_power_import", "W", p), AddResult::stored);
    }
    if (i % 50 == 49) {
      ++slices;
      if (!s.flush_slice(7)) ++passes;
    }
  }
  EXPECT_GT(passes, 1);
  EXPECT_GT(slices, passes + 1);
  // A pass ends at the last series; those before where it began wait for the next one.
  while (s.flush_slice(7)) {
  }
  EXPECT_GT(s.unflushed_points(), 0u);
  s.flush();
  w.flush();
  EXPECT_EQ(s.unflushed_points(), 0u);
  for (int m = 0; m < 30; ++m) {
    const auto meter = "m" + std::to_string(m);
    const auto a = w.find(meter, "active_power_import")->id, b = s.find(meter, "active_power_import")->id;
    EXPECT_EQ(w.raw(a, kT0, kT0 + 86'400'000LL).size(), s.raw(b, kT0, kT0 + 86'400'000LL).size());
    for (const auto tier : {Tier::minute, Tier::quarter, Tier::hour, Tier::day})
      expect_same_buckets(w.buckets(a, tier, kT0 - 86'400'000LL, kT0 + 86'400'000LL),
                          s.buckets(b, tier, kT0 - 86'400'000LL, kT0 + 86'400'000LL), meter + " " + tier_name(tier),
                          0.02);  // energy from power is stored to the mWh: each write may round once more
  }
}

// Killed in the middle of a pass of sliced writes: every point of a pass that had ended (what
// a sink acknowledges) is there, each series a gapless prefix of what was added.
TEST(HistoryStore, KillNineDuringSlicedWritesLosesNothingAcknowledged) {
  TempStore t("kill9-slices");
  constexpr int kSeries = 40;
  const auto [child, from_child] = fork_writer(t, [](HistoryStore& store, int report) {
    for (std::int64_t i = 0;; ++i) {
      for (int m = 0; m < kSeries; ++m)
        store.add("m" + std::to_string(m), "active_energy_import", "Wh", {kT0 + i * 5000, static_cast<double>(i)});
      if (i % 10 != 9) {
        store.flush_slice(3);  // a pass under way, points arriving between its slices
        continue;
      }
      store.flush();  // everything so far committed: what a sink acknowledges
      const std::int64_t acknowledged = i + 1;
      (void)!::write(report, &acknowledged, sizeof acknowledged);
    }
  });
  ASSERT_GT(child, 0);
  std::int64_t acknowledged = 0, got = 0;
  for (int n = 0; n < 30; ++n) ASSERT_EQ(::read(from_child, &acknowledged, sizeof got), static_cast<ssize_t>(sizeof got));
  ::usleep(3000);
  ASSERT_TRUE(kill_nine(child));
  while (::read(from_child, &got, sizeof got) == static_cast<ssize_t>(sizeof got)) acknowledged = got;
  ::close(from_child);
  auto& store = t.open();
  for (int m = 0; m < kSeries; ++m) {
    const auto id = store.find("m" + std::to_string(m), "active_energy_import")->id;
    const auto pts = store.raw(id, kT0, kT0 + 1'000'000'000LL);
    ASSERT_GE(static_cast<std::int64_t>(pts.size()), acknowledged) << "series " << m;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      ASSERT_EQ(pts[i].t_ms, kT0 + static_cast<std::int64_t>(i) * 5000) << "series " << m;
      ASSERT_EQ(pts[i].value, static_cast<double>(i)) << "series " << m;
    }
    const auto hours = store.buckets(id, Tier::hour, kT0 - 3'600'000, kT0 + 1'000'000'000LL);
    std::uint32_t counted = 0;
    for (const auto& h : hours) counted += h.count;
    EXPECT_EQ(counted, pts.size()) << "rollups committed with their raw points, series " << m;
  }
}

// What a change can alter: a point after the newest, the step from the newest on; a late or
// replaced point, a retention pass or a new typical step, anything. A forgotten mark says
// anything too, so a kept answer is never trusted beyond what the store can vouch for.
TEST(HistoryStore, AMarkSaysFromWhereLaterChangesCanAlterAnswers) {
  TempStore t("marks");
  auto& store = t.open();
  for (std::int64_t s = 0; s < 3600; s += 5) store.add("m", "active_energy_import", "Wh", {kT0 + s * 1000, 1000.0 + s});
  store.flush();
  const auto quiet = store.mark();
  EXPECT_EQ(store.changed_from(quiet), INT64_MAX);
  const auto newest = kT0 + 3595'000;
  store.add("m", "active_energy_import", "Wh", {newest + 5000, 5000});
  EXPECT_EQ(store.changed_from(quiet), newest);
  store.flush();  // making it visible reaches no further back
  EXPECT_EQ(store.changed_from(quiet), newest);

  const auto before_new_series = store.mark();
  store.add("other", "active_energy_import", "Wh", {kT0 + 7200'000, 1});
  EXPECT_EQ(store.changed_from(before_new_series), kT0 + 7200'000);  // nothing before its first point

  const auto before_late = store.mark();
  store.add("m", "active_energy_import", "Wh", {kT0 + 1002, 1001});
  EXPECT_EQ(store.changed_from(before_late), INT64_MIN);
  store.flush();

  const auto before_replace = store.mark();
  EXPECT_EQ(store.add("m", "active_energy_import", "Wh", {newest + 5000, 5000}), AddResult::duplicate);
  EXPECT_EQ(store.changed_from(before_replace), INT64_MAX);
  store.add("m", "active_energy_import", "Wh", {newest + 5000, 5001});
  EXPECT_EQ(store.changed_from(before_replace), INT64_MIN);
  store.flush();

  const auto before_import = store.mark();
  store.add_interval("m", "active_energy_import", "Wh", kT0 - 900'000, kT0, 250, "");
  EXPECT_EQ(store.changed_from(before_import), kT0 - 900'000);
  store.flush();

  const auto before_retention = store.mark();
  store.enforce_retention(kT0 + 2 * 3600'000);
  EXPECT_EQ(store.changed_from(before_retention), INT64_MIN);

  // Eight marks are followed; the oldest is forgotten and then vouches for nothing.
  const auto oldest = store.mark();
  for (int i = 0; i < 8; ++i) {
    store.add("m", "active_energy_import", "Wh", {newest + (i + 2) * 5000, 6000.0 + i});
    store.mark();
  }
  EXPECT_EQ(store.changed_from(oldest), INT64_MIN);
}

// Every typical step of a series: a gap limit derived from it changes how each old gap is read.
TEST(HistoryStore, ANewTypicalStepMayAlterAnyTime) {
  TempStore t("marks-cadence");
  auto& store = t.open();
  std::int64_t at = kT0;
  for (int i = 0; i < 40; ++i, at += 5000) store.add("m", "active_energy_import", "Wh", {at, 1000.0 + i});
  store.flush();
  const auto mark = store.mark();
  // Readings every 5 s, then every minute: the typical step and the gap limit follow.
  for (int i = 0; i < 40 && store.changed_from(mark) != INT64_MIN; ++i, at += 60'000)
    store.add("m", "active_energy_import", "Wh", {at, 2000.0 + i});
  EXPECT_EQ(store.changed_from(mark), INT64_MIN);
}
