// Each condition fires and resolves at the right moment on readings with chosen timestamps,
// across DST days and a restart, and flapping values make no storm of notices.
#include <gtest/gtest.h>

#include <functional>

#include "alert_conditions.hpp"
#include "alert_engine.hpp"
#include "alert_state_file.hpp"
#include "alert_test_support.hpp"
#include "meterd/time_zone.hpp"
#include "temp_dir.hpp"

namespace meterd::alerts {
namespace {

using test::at;
using test::reading_at;

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;

std::shared_ptr<const TimeZone> zurich() { return TimeZone::load("Europe/Zurich"); }

struct Timed {
  Notice::Kind kind;
  std::int64_t time;
  std::string subject;
};

class Recorder {
 public:
  void add(const std::vector<Notice>& notices) {
    for (const auto& n : notices) list.push_back({n.kind, n.time_ms, n.subject});
  }
  std::size_t count(Notice::Kind kind) const {
    std::size_t c = 0;
    for (const auto& n : list) c += n.kind == kind;
    return c;
  }
  std::vector<Timed> list;
};

// Readings of one quantity every `step` from `from` (inclusive) to `to` (exclusive).
void feed(AlertEngine& engine, Recorder& out, const std::string& meter, std::int64_t from, std::int64_t to,
          std::int64_t step, const std::string& quantity, const std::string& unit,
          const std::function<double(std::int64_t)>& value) {
  for (std::int64_t t = from; t < to; t += step) out.add(engine.on_reading(reading_at(meter, t, {{quantity, value(t), unit}})));
}

TEST(AlertEngine, PowerAboveFiresAfterItsDurationAndResolvesPastTheHysteresis) {
  AlertEngine engine(test::rules_of({{"alert.high.when", "power above 3 kW"}, {"alert.high.for", "5 min"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t t0 = at("2026-06-01T12:00:00+02:00");
  engine.start(t0);
  auto watts = [&](double w) { return [w](std::int64_t) { return w; }; };
  feed(engine, out, "m1", t0, t0 + 10 * kMinute, 10'000, "active_power_import", "W", watts(2000));
  feed(engine, out, "m1", t0 + 10 * kMinute, t0 + 15 * kMinute, 10'000, "active_power_import", "kW", watts(4));
  EXPECT_TRUE(out.list.empty()) << "fired before 5 minutes above";
  feed(engine, out, "m1", t0 + 15 * kMinute, t0 + 16 * kMinute, 10'000, "active_power_import", "kW", watts(4));
  ASSERT_EQ(out.list.size(), 1u);
  EXPECT_EQ(out.list[0].kind, Notice::Kind::fired);
  EXPECT_EQ(out.list[0].time, t0 + 15 * kMinute);
  // Hovering just around the threshold (inside the 5 % band) neither resolves nor fires again.
  feed(engine, out, "m1", t0 + 16 * kMinute, t0 + 60 * kMinute, 10'000, "active_power_import", "W",
       [](std::int64_t t) { return (t / 10'000) % 2 ? 2950.0 : 3050.0; });
  EXPECT_EQ(out.list.size(), 1u);
  feed(engine, out, "m1", t0 + 60 * kMinute, t0 + 70 * kMinute, 10'000, "active_power_import", "W", watts(1000));
  ASSERT_EQ(out.list.size(), 2u);
  EXPECT_EQ(out.list[1].kind, Notice::Kind::resolved);
  EXPECT_EQ(out.list[1].time, t0 + 65 * kMinute);  // clear_for defaults to `for`
}

TEST(AlertEngine, AConfiguredHysteresisWidensTheBand) {
  AlertEngine engine(test::rules_of({{"alert.high.when", "power above 3 kW"}, {"alert.high.hysteresis", "1 kW"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t t0 = at("2026-06-01T12:00:00+02:00");
  const std::vector<double> watts{3500, 2500, 2100, 3200, 1900};
  for (std::size_t i = 0; i < watts.size(); ++i)
    out.add(engine.on_reading(reading_at("m1", t0 + static_cast<std::int64_t>(i) * 10'000, {{"active_power_import", watts[i], "W"}})));
  ASSERT_EQ(out.list.size(), 2u);
  EXPECT_EQ(out.list[1].kind, Notice::Kind::resolved);
  EXPECT_EQ(out.list[1].time, t0 + 40'000);  // only 1.9 kW is more than 1 kW below the threshold
}

TEST(AlertEngine, PowerBelowFiresAndResolves) {
  AlertEngine engine(test::rules_of({{"alert.fridge.when", "power below 50 W"}, {"alert.fridge.for", "30 min"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t t0 = at("2026-06-01T12:00:00+02:00");
  feed(engine, out, "m1", t0, t0 + 40 * kMinute, kMinute, "active_power_import", "W", [](auto) { return 20.0; });
  ASSERT_EQ(out.list.size(), 1u);
  EXPECT_EQ(out.list[0].time, t0 + 30 * kMinute);
  feed(engine, out, "m1", t0 + 40 * kMinute, t0 + 80 * kMinute, kMinute, "active_power_import", "W", [](auto) { return 500.0; });
  ASSERT_EQ(out.list.size(), 2u);
  EXPECT_EQ(out.list[1].time, t0 + 70 * kMinute);
}

TEST(AlertEngine, FlappingAcrossTheWholeBandMakesNoStorm) {
  AlertEngine engine(test::rules_of({{"alert.high.when", "power above 3 kW"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t t0 = at("2026-06-01T12:00:00+02:00");
  // Every reading swings from well above to well below: 360 crossings in an hour.
  feed(engine, out, "m1", t0, t0 + kHour, 10'000, "active_power_import", "W",
       [](std::int64_t t) { return (t / 10'000) % 2 ? 2000.0 : 4000.0; });
  for (std::int64_t t = t0; t < t0 + kHour; t += kMinute) out.add(engine.tick(t));
  // Fired, resolved, then at most one new announcement per cool-down (15 min).
  EXPECT_LE(out.list.size(), 2u + 2 * 4);
  EXPECT_GE(out.count(Notice::Kind::fired), 1u);
}

TEST(AlertEngine, VoltageOutsideTheBandPerPhase) {
  AlertEngine engine(test::rules_of({{"alert.voltage.when", "voltage outside"}, {"alert.voltage.for", "1 min"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t t0 = at("2026-06-01T12:00:00+02:00");
  for (std::int64_t t = t0; t < t0 + 10 * kMinute; t += 10'000) {
    const bool high = t >= t0 + 2 * kMinute && t < t0 + 6 * kMinute;
    out.add(engine.on_reading(reading_at("m1", t, {{"voltage_l1", 231, "V"}, {"voltage_l2", high ? 257.0 : 232.0, "V"}, {"voltage_l3", 229, "V"}})));
  }
  ASSERT_EQ(out.list.size(), 2u);
  EXPECT_EQ(out.list[0].subject, "m1/L2");
  EXPECT_EQ(out.list[0].time, t0 + 3 * kMinute);
  EXPECT_EQ(out.list[1].kind, Notice::Kind::resolved);
  EXPECT_EQ(out.list[1].time, t0 + 7 * kMinute);
}

TEST(AlertEngine, SilentMeterFiresOnTheClockAlsoWhenItNeverSpokeSinceStart) {
  AlertEngine engine(test::rules_of({{"alert.quiet.when", "silent 15 min"}, {"alert.quiet.meter", "m9"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t t0 = at("2026-06-01T12:00:00+02:00");
  engine.start(t0);
  out.add(engine.tick(t0 + 14 * kMinute));
  EXPECT_TRUE(out.list.empty());
  out.add(engine.tick(t0 + 15 * kMinute));
  ASSERT_EQ(out.list.size(), 1u);
  EXPECT_EQ(out.list[0].kind, Notice::Kind::fired);
  out.add(engine.tick(t0 + 16 * kMinute));
  EXPECT_EQ(out.list.size(), 1u) << "fired once per episode";
  out.add(engine.on_reading(reading_at("m9", t0 + 20 * kMinute, {{"active_power_import", 1, "W"}})));
  ASSERT_EQ(out.list.size(), 2u);
  EXPECT_EQ(out.list[1].kind, Notice::Kind::resolved);
  // Silent again for 15 minutes: a new episode, announced once.
  out.add(engine.tick(t0 + 35 * kMinute));
  out.add(engine.tick(t0 + 36 * kMinute));
  EXPECT_EQ(out.list.size(), 3u);
}

TEST(AlertEngine, DayPeriodsFollowTheLocalCalendarAcrossDst) {
  const auto zone = zurich();
  // Spring: 23 hours; autumn: 25 hours.
  EXPECT_EQ(period_start_ms(*zone, Period::day, at("2026-03-29T12:00:00+02:00")), at("2026-03-29T00:00:00+01:00"));
  EXPECT_EQ(period_end_ms(*zone, Period::day, at("2026-03-29T12:00:00+02:00")) - at("2026-03-29T00:00:00+01:00"), 23 * kHour);
  EXPECT_EQ(period_end_ms(*zone, Period::day, at("2026-10-25T12:00:00+01:00")) - at("2026-10-25T00:00:00+02:00"), 25 * kHour);
  EXPECT_EQ(period_start_ms(*zone, Period::week, at("2026-03-29T12:00:00+02:00")), at("2026-03-23T00:00:00+01:00"));
  EXPECT_EQ(period_start_ms(*zone, Period::month, at("2026-03-31T23:30:00+02:00")), at("2026-03-01T00:00:00+01:00"));
  EXPECT_EQ(period_end_ms(*zone, Period::month, at("2026-03-31T23:30:00+02:00")), at("2026-04-01T00:00:00+02:00"));
}

TEST(AlertEngine, EnergyOfTheDayFiresOnTheShortDstDayAndResolvesAtLocalMidnight) {
  AlertEngine engine(test::rules_of({{"alert.day.when", "energy day above 20.4 kWh"}}), zurich(), nullptr);
  Recorder out;
  // 1 kWh per hour, every 5 minutes, from the evening before the spring change to the day after.
  const std::int64_t from = at("2026-03-28T22:00:00+01:00"), to = at("2026-03-30T02:00:00+02:00");
  feed(engine, out, "m1", from, to, 5 * kMinute, "active_energy_import", "kWh",
       [&](std::int64_t t) { return 1000 + static_cast<double>(t - from) / kHour; });
  ASSERT_GE(out.list.size(), 2u);
  // 20.4 kWh since local midnight (23:00 UTC) is passed at 19:25 UTC: 22 h 25 min after the first
  // reading, in a day whose clock jumped from 02:00 to 03:00, so 21:25 local summer time.
  EXPECT_EQ(out.list[0].kind, Notice::Kind::fired);
  EXPECT_EQ(out.list[0].time, at("2026-03-29T21:25:00+02:00"));
  EXPECT_EQ(out.list[1].kind, Notice::Kind::resolved);
  EXPECT_EQ(out.list[1].time, at("2026-03-30T00:00:00+02:00"));
  EXPECT_EQ(out.list.size(), 2u);
}

TEST(AlertEngine, EnergyProjectionOfTheMonth) {
  AlertEngine engine(test::rules_of({{"alert.month.when", "energy month projected above 500 kWh"}}), zurich(), nullptr);
  Recorder out;
  // 1 kWh per hour: 720 kWh in a 30-day month; projection passes 500 kWh once 10 % of June is over.
  const std::int64_t from = at("2026-05-31T23:00:00+02:00"), to = at("2026-06-10T00:00:00+02:00");
  feed(engine, out, "m1", from, to, 15 * kMinute, "active_energy_import", "kWh",
       [&](std::int64_t t) { return static_cast<double>(t - from) / kHour; });
  ASSERT_EQ(out.list.size(), 1u);
  EXPECT_EQ(out.list[0].kind, Notice::Kind::fired);
  EXPECT_EQ(out.list[0].time, at("2026-06-04T00:00:00+02:00"));  // 3 of 30 days
}

TEST(AlertEngine, BaseLoadAboveAThresholdIsJudgedWhenTheNightEnds) {
  AlertEngine engine(test::rules_of({{"alert.base.when", "base_load above 300 W"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t d0 = at("2026-06-01T00:00:00+02:00");
  for (int day = 0; day < 4; ++day) {
    const double night = day < 2 ? 150 : 400;  // night minimum jumps on the third night
    feed(engine, out, "m1", d0 + day * 24 * kHour, d0 + (day + 1) * 24 * kHour, 10 * kMinute, "active_power_import", "W",
         [&](std::int64_t t) {
           const auto hour = ((t - d0) / kHour) % 24;
           return hour >= 1 && hour < 5 ? night + static_cast<double>((t / kMinute) % 30) : 2000.0;
         });
  }
  ASSERT_EQ(out.list.size(), 1u);
  EXPECT_EQ(out.list[0].time, at("2026-06-03T05:00:00+02:00"));  // first reading after the night window
  feed(engine, out, "m1", d0 + 4 * 24 * kHour, d0 + 5 * 24 * kHour + 6 * kHour, 10 * kMinute, "active_power_import", "W",
       [&](std::int64_t t) { return ((t - d0) / kHour) % 24 < 5 ? 120.0 : 2000.0; });
  ASSERT_EQ(out.list.size(), 2u);
  EXPECT_EQ(out.list[1].kind, Notice::Kind::resolved);
  EXPECT_EQ(out.list[1].time, at("2026-06-05T05:00:00+02:00"));
}

TEST(AlertEngine, BaseLoadRisingOverWeeks) {
  AlertEngine engine(test::rules_of({{"alert.creep.when", "base_load rising 20 % over 1 week"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t d0 = at("2026-06-01T00:00:00+02:00");
  for (int day = 0; day < 14; ++day) {
    const double night = day < 7 ? 100 : 130;
    feed(engine, out, "m1", d0 + day * 24 * kHour + 2 * kHour, d0 + day * 24 * kHour + 6 * kHour, 10 * kMinute,
         "active_power_import", "W", [&](std::int64_t t) { return ((t - d0) / kHour) % 24 < 5 ? night : 900.0; });
  }
  // Mean of the last 7 nights against the 7 a week before: with 5 nights at 130 W the mean is
  // 121 W, +21 %, the first to pass 20 % (4 nights give +17 %).
  ASSERT_EQ(out.list.size(), 1u);
  EXPECT_EQ(out.list[0].kind, Notice::Kind::fired);
  EXPECT_EQ(out.list[0].time, at("2026-06-12T05:00:00+02:00"));
}

TEST(AlertEngine, PeakDemandWithinAMarginOfTheCapacityThresholdAndNewMonth) {
  AlertEngine engine(test::rules_of({{"alert.peak.when", "peak_demand within 10 % of 5 kW"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t from = at("2026-06-30T20:00:00+02:00");
  double reg = 0;
  for (std::int64_t t = from; t < from + 6 * kHour; t += kMinute) {
    const auto hour = (t - from) / kHour;
    out.add(engine.on_reading(reading_at("m1", t, {{"active_energy_import", reg, "Wh"}})));
    reg += (hour == 1 ? 4600.0 : 1000.0) / 60;  // 4.6 kW during the second hour
  }
  ASSERT_EQ(out.list.size(), 2u);
  EXPECT_EQ(out.list[0].kind, Notice::Kind::fired);
  EXPECT_EQ(out.list[0].time, at("2026-06-30T21:15:00+02:00"));  // end of the first 4.6 kW quarter
  EXPECT_EQ(out.list[1].kind, Notice::Kind::resolved);
  EXPECT_EQ(out.list[1].time, at("2026-07-01T00:15:00+02:00"));  // July's first quarter
}

TEST(AlertEngine, DecoderErrorsAboveARateFromTheCounters) {
  AlertEngine engine(test::rules_of({{"alert.crc.when", "decoder_errors above 60 per hour"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t t0 = at("2026-06-01T12:00:00+02:00");
  double errors = 0;
  for (std::int64_t t = t0; t < t0 + 60 * kMinute; t += 10'000) {
    if (t < t0 + 20 * kMinute) errors += 1;  // 360 per hour, then none
    out.add(engine.on_diagnostic(test::counters_at("source.kitchen", t, "errors", errors)));
  }
  ASSERT_EQ(out.list.size(), 2u);
  EXPECT_EQ(out.list[0].subject, "kitchen");
  EXPECT_EQ(out.list[0].time, t0 + 5 * kMinute);
  EXPECT_EQ(out.list[1].kind, Notice::Kind::resolved);
  EXPECT_GT(out.list[1].time, t0 + 20 * kMinute);
  EXPECT_LE(out.list[1].time, t0 + 36 * kMinute);
}

TEST(AlertEngine, QueueGrowingFromTheSinkCounters) {
  AlertEngine engine(test::rules_of({{"alert.backlog.when", "queue growing"}, {"alert.backlog.for", "5 min"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t t0 = at("2026-06-01T12:00:00+02:00");
  for (std::int64_t t = t0; t < t0 + 30 * kMinute; t += 10'000) {
    const double depth = t < t0 + 10 * kMinute ? 0 : t < t0 + 20 * kMinute ? static_cast<double>((t - t0) / 10'000) : 0;
    out.add(engine.on_diagnostic(test::counters_at("sink.influx", t, "queue_depth", depth)));
    out.add(engine.on_diagnostic(test::counters_at("source.kitchen", t, "queue_depth", 5)));  // not a sink
  }
  ASSERT_EQ(out.list.size(), 2u);
  EXPECT_EQ(out.list[0].subject, "influx");
  EXPECT_EQ(out.list[0].time, t0 + 15 * kMinute);
  EXPECT_EQ(out.list[1].time, t0 + 25 * kMinute);
}

TEST(AlertEngine, QuietHoursHoldNoticesUntilTheyEndAndDropEpisodesThatEndedInside) {
  AlertEngine engine(test::rules_of({{"alert.high.when", "power above 3 kW"}, {"alert.high.quiet_hours", "22:00-07:00"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t night = at("2026-06-01T23:00:00+02:00");
  out.add(engine.on_reading(reading_at("m1", night, {{"active_power_import", 5000, "W"}})));
  out.add(engine.on_reading(reading_at("m1", night + 10 * kMinute, {{"active_power_import", 500, "W"}})));
  out.add(engine.tick(night + 5 * kHour));
  EXPECT_TRUE(out.list.empty()) << "an episode that began and ended in quiet hours stays in the history only";
  out.add(engine.on_reading(reading_at("m1", at("2026-06-02T05:00:00+02:00"), {{"active_power_import", 5000, "W"}})));
  out.add(engine.tick(at("2026-06-02T06:59:00+02:00")));
  EXPECT_TRUE(out.list.empty());
  out.add(engine.tick(at("2026-06-02T07:00:00+02:00")));
  ASSERT_EQ(out.list.size(), 1u);
  EXPECT_EQ(out.list[0].kind, Notice::Kind::fired);
}

TEST(AlertEngine, RepeatSendsRemindersWhileFiring) {
  AlertEngine engine(test::rules_of({{"alert.high.when", "power above 3 kW"}, {"alert.high.repeat", "1 h"}}), zurich(), nullptr);
  Recorder out;
  const std::int64_t t0 = at("2026-06-01T12:00:00+02:00");
  feed(engine, out, "m1", t0, t0 + 150 * kMinute, kMinute, "active_power_import", "W", [](auto) { return 4000.0; });
  ASSERT_EQ(out.list.size(), 3u);
  EXPECT_EQ(out.list[1].kind, Notice::Kind::reminder);
  EXPECT_EQ(out.list[1].time, t0 + kHour);
  EXPECT_EQ(out.list[2].time, t0 + 2 * kHour);
}

TEST(AlertEngine, ARestartNeitherFiresAgainNorForgets) {
  test_support::TempDir dir;
  const auto rules = test::rules_of({{"alert.high.when", "power above 3 kW"}, {"alert.day.when", "energy day above 10 kWh"}});
  const std::int64_t t0 = at("2026-06-01T12:00:00+02:00");
  Recorder out;
  {
    AlertStateFile state(dir.path() / "alerts.sqlite");
    AlertEngine engine(rules, zurich(), &state);
    engine.start(t0);
    out.add(engine.on_reading(reading_at("m1", t0, {{"active_power_import", 4000, "W"}, {"active_energy_import", 100, "kWh"}})));
    ASSERT_EQ(out.list.size(), 1u);
    engine.save();
  }
  AlertStateFile state(dir.path() / "alerts.sqlite");
  AlertEngine engine(rules, zurich(), &state);
  engine.start(t0 + kMinute);
  out.add(engine.on_reading(reading_at("m1", t0 + kMinute, {{"active_power_import", 4200, "W"}, {"active_energy_import", 105, "kWh"}})));
  EXPECT_EQ(out.list.size(), 1u) << "the episode was announced before the restart";
  // The day's baseline (100 kWh at noon) survived: 111 kWh is 11 kWh today.
  out.add(engine.on_reading(reading_at("m1", t0 + 2 * kMinute, {{"active_power_import", 1000, "W"}, {"active_energy_import", 111, "kWh"}})));
  ASSERT_EQ(out.list.size(), 3u);  // rules are judged in name order: day, then high
  EXPECT_EQ(out.list[1].kind, Notice::Kind::fired);
  EXPECT_EQ(out.list[2].kind, Notice::Kind::resolved);
  const auto history = state.history(10);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].rule, "high");
  EXPECT_EQ(history[0].kind, "resolved");
  EXPECT_EQ(history[1].rule, "day");
  EXPECT_EQ(history[2].kind, "firing");
}

}  // namespace
}  // namespace meterd::alerts
