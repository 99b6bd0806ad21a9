#include "alert_conditions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace meterd::alerts {
namespace {

constexpr std::int64_t kQuarterMs = 15 * 60'000;
constexpr std::int64_t kBucketMs = 5 * 60'000;
constexpr std::int64_t kCounterWindowMs = 15 * 60'000;
constexpr std::int64_t kCounterMinSpanMs = 5 * 60'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Value of the first number named `quantity` in base units (W, Wh, V), NaN when absent.
double number_of(const v1::Reading& r, std::string_view quantity) {
  for (const auto& v : r.values()) {
    if (v.quantity() != quantity || !v.has_number() || v.interval_end_ms() != 0) continue;
    const std::string& u = v.unit();
    const double scale = (u == "kW" || u == "kWh" || u == "kV") ? 1e3 : (u == "MW" || u == "MWh") ? 1e6 : 1;
    return v.number() * scale;
  }
  return NAN;
}

// The import register: the total when the meter sends one, else the sum of its tariffs.
double import_register(const v1::Reading& r) {
  const double total = number_of(r, "active_energy_import");
  if (!std::isnan(total)) return total;
  double sum = NAN;
  for (int t = 1; t <= 4; ++t) {
    const double part = number_of(r, "active_energy_import_t" + std::to_string(t));
    if (!std::isnan(part)) sum = (std::isnan(sum) ? 0 : sum) + part;
  }
  return sum;
}

std::int64_t local_midnight_ms(const TimeZone& zone, int y, int m, int d) {
  const auto local = civil_to_seconds(CivilTime{y, m, d, 0, 0, 0});
  auto utc = zone.local_to_utc(local);
  // Midnight skipped by a DST change: the day starts at the first instant after the gap.
  for (int shift = 1; utc.empty() && shift <= 4; ++shift) utc = zone.local_to_utc(local + shift * 1800);
  return (utc.empty() ? local : utc.front()) * 1000;
}

// Shrinks the band by the rule's hysteresis: `toward` is +1 when clearing means going up.
double past_band(const Rule& r, double threshold, int toward) {
  const double width = r.hysteresis_relative ? threshold * r.hysteresis : r.hysteresis;
  return threshold + toward * width;
}

Observation above(const Rule& r, std::string subject, std::string detail, std::int64_t t, double value, double threshold) {
  return {std::move(subject), std::move(detail), t, value, value > threshold, value <= past_band(r, threshold, -1)};
}

std::string meter_detail(const std::string& meter) { return "meter " + meter; }

void finish_night(const Rule& r, Track& t, const std::string& meter, std::int64_t time, std::vector<Observation>& out) {
  if (t.bucket_count > 0) t.night_min = std::min(std::isnan(t.night_min) ? INFINITY : t.night_min, t.bucket_sum / t.bucket_count);
  t.bucket = -1;
  t.bucket_count = 0;
  t.bucket_sum = 0;
  if (std::isnan(t.night_min)) return;
  const std::int64_t night = t.night_day;
  t.nights.emplace_back(night, t.night_min);
  t.night_min = NAN;
  while (!t.nights.empty() && t.nights.front().first < night - 9 * 7) t.nights.erase(t.nights.begin());
  if (r.condition.kind == ConditionKind::base_load_above) {
    out.push_back(above(r, meter, meter_detail(meter), time, t.nights.back().second, r.condition.threshold));
    return;
  }
  // Rising: the mean of the last 7 nights against the 7 nights `weeks` weeks before.
  auto mean = [&](std::int64_t last_day) {
    double sum = 0;
    int n = 0;
    for (const auto& [day, w] : t.nights)
      if (day > last_day - 7 && day <= last_day) sum += w, ++n;
    return n >= 3 ? sum / n : NAN;
  };
  const double recent = mean(night), earlier = mean(night - 7 * r.condition.weeks);
  if (std::isnan(recent) || std::isnan(earlier) || earlier <= 0) return;
  const double rise = (recent / earlier - 1) * 100;
  out.push_back({meter, meter_detail(meter), time, rise, rise >= r.condition.percent,
                 rise < r.condition.percent - r.hysteresis});
}

void observe_base_load(const Rule& r, Track& t, const std::string& meter, std::int64_t time, double power,
                       const TimeZone& zone, std::vector<Observation>& out) {
  const std::int64_t local_s = zone.utc_to_local(floor_div(time, 1000));
  const int minute = static_cast<int>((local_s - floor_div(local_s, 86400) * 86400) / 60);
  const std::int64_t day = floor_div(local_s, 86400);
  if (!r.night.contains(minute)) {
    if (t.bucket_count > 0 || !std::isnan(t.night_min)) finish_night(r, t, meter, time, out);
    return;
  }
  const std::int64_t night = minute >= r.night.start_minute ? day : day - 1;
  if (t.night_day != night) {
    if (t.bucket_count > 0 || !std::isnan(t.night_min)) finish_night(r, t, meter, time, out);
    t.night_day = night;
  }
  const std::int64_t bucket = floor_div(time, kBucketMs);
  if (bucket != t.bucket) {
    if (t.bucket_count > 0) t.night_min = std::min(std::isnan(t.night_min) ? INFINITY : t.night_min, t.bucket_sum / t.bucket_count);
    t.bucket = bucket;
    t.bucket_sum = 0;
    t.bucket_count = 0;
  }
  t.bucket_sum += power;
  ++t.bucket_count;
}

void observe_energy(const Rule& r, Track& t, const std::string& meter, std::int64_t time, double reg,
                    const TimeZone& zone, std::vector<Observation>& out) {
  const std::int64_t start = period_start_ms(zone, r.condition.period, time);
  if (t.period_start != start) {
    // The register at the period's first instant, interpolated between the readings on
    // either side; without a reading close before the start (meterd was down), the first
    // reading of the period.
    const bool recent = !std::isnan(t.last_register) && t.last_register_at < start && t.last_register_at >= start - 3'600'000;
    t.baseline = recent ? t.last_register + (reg - t.last_register) * static_cast<double>(start - t.last_register_at) /
                                                static_cast<double>(time - t.last_register_at)
                        : reg;
    t.period_start = start;
  }
  t.last_register = reg;
  t.last_register_at = time;
  const double energy = reg - t.baseline;
  if (r.condition.kind == ConditionKind::energy_above) {
    out.push_back(above(r, meter, meter_detail(meter), time, energy, r.condition.threshold));
    return;
  }
  const std::int64_t end = period_end_ms(zone, r.condition.period, time);
  const double elapsed = static_cast<double>(time - start) / static_cast<double>(end - start);
  // Too early in the period for a projection to mean anything: say nothing alarming.
  if (elapsed < 0.1) {
    out.push_back({meter, meter_detail(meter), time, energy, false, true});
    return;
  }
  out.push_back(above(r, meter, meter_detail(meter), time, energy / elapsed, r.condition.threshold));
}

void observe_peak(const Rule& r, Track& t, const std::string& meter, std::int64_t time, double reg,
                  const TimeZone& zone, std::vector<Observation>& out) {
  const std::int64_t quarter = floor_div(time, kQuarterMs);
  if (t.quarter == quarter) return;
  const std::int64_t span = time - t.quarter_register_at;
  const bool usable = t.quarter >= 0 && span > 0 && span <= 20 * 60'000 && reg >= t.quarter_register;
  const std::int64_t finished = t.quarter;
  const double demand = usable ? (reg - t.quarter_register) / static_cast<double>(span) * 3.6e6 : 0;
  t.quarter = quarter;
  t.quarter_register = reg;
  t.quarter_register_at = time;
  if (!usable) return;
  const std::int64_t month = period_start_ms(zone, Period::month, finished * kQuarterMs);
  if (t.month_start != month) {
    t.month_start = month;
    t.month_peak = 0;
  }
  t.month_peak = std::max(t.month_peak, demand);
  const double threshold = r.condition.kind == ConditionKind::peak_demand_above
                               ? r.condition.threshold
                               : r.condition.threshold * (1 - r.condition.percent / 100);
  Observation o = above(r, meter, meter_detail(meter), time, t.month_peak, threshold);
  if (r.condition.kind == ConditionKind::peak_demand_near) o.fire = t.month_peak >= threshold;
  out.push_back(o);
}

}  // namespace

std::int64_t reading_time_ms(const v1::Reading& reading) {
  return reading.has_meter_time_ms() ? reading.meter_time_ms() : reading.received_ms();
}

std::int64_t period_start_ms(const TimeZone& zone, Period period, std::int64_t utc_ms) {
  const std::int64_t local_s = zone.utc_to_local(floor_div(utc_ms, 1000));
  const std::int64_t day = floor_div(local_s, 86400);
  CivilTime c = seconds_to_civil(day * 86400);
  if (period == Period::week) {  // weeks start on Monday; 1970-01-01 was a Thursday
    const std::int64_t monday = day - ((day + 3) % 7 + 7) % 7;
    c = seconds_to_civil(monday * 86400);
  }
  if (period == Period::month) c.day = 1;
  return local_midnight_ms(zone, c.year, c.month, c.day);
}

std::int64_t period_end_ms(const TimeZone& zone, Period period, std::int64_t utc_ms) {
  const std::int64_t start = period_start_ms(zone, period, utc_ms);
  CivilTime c = seconds_to_civil(zone.utc_to_local(start / 1000));
  switch (period) {
    case Period::day: c = seconds_to_civil(days_from_civil(c.year, c.month, c.day) * 86400 + 86400); break;
    case Period::week: c = seconds_to_civil(days_from_civil(c.year, c.month, c.day) * 86400 + 7 * 86400); break;
    case Period::month:
      c.month = c.month == 12 ? 1 : c.month + 1;
      if (c.month == 1) ++c.year;
      break;
  }
  return local_midnight_ms(zone, c.year, c.month, c.day);
}

std::vector<Observation> observe_reading(const Rule& r, Tracks& tracks, const v1::Reading& reading, const TimeZone& zone) {
  std::vector<Observation> out;
  const std::string& meter = reading.meter_id();
  if (!r.meter.empty() && r.meter != meter) return out;
  const std::int64_t time = reading_time_ms(reading);
  const Condition& c = r.condition;
  switch (c.kind) {
    case ConditionKind::power_above:
    case ConditionKind::power_below: {
      const double p = number_of(reading, "active_power_import");
      if (std::isnan(p)) break;
      if (c.kind == ConditionKind::power_above) out.push_back(above(r, meter, meter_detail(meter), time, p, c.threshold));
      else out.push_back({meter, meter_detail(meter), time, p, p < c.threshold, p >= past_band(r, c.threshold, +1)});
      break;
    }
    case ConditionKind::voltage_outside:
      for (const char* phase : {"1", "2", "3"}) {
        const double v = number_of(reading, std::string("voltage_l") + phase);
        if (std::isnan(v)) continue;
        const double width = r.hysteresis_relative ? 230 * r.hysteresis : r.hysteresis;
        out.push_back({meter + "/L" + phase, meter_detail(meter) + " phase L" + phase, time, v,
                       v < c.low || v > c.threshold, v >= c.low + width && v <= c.threshold - width});
      }
      break;
    case ConditionKind::energy_above:
    case ConditionKind::energy_projected_above: {
      const double reg = import_register(reading);
      if (!std::isnan(reg)) observe_energy(r, tracks[meter], meter, time, reg, zone, out);
      break;
    }
    case ConditionKind::base_load_above:
    case ConditionKind::base_load_rising: {
      const double p = number_of(reading, "active_power_import");
      if (!std::isnan(p)) observe_base_load(r, tracks[meter], meter, time, p, zone, out);
      break;
    }
    case ConditionKind::peak_demand_above:
    case ConditionKind::peak_demand_near: {
      const double reg = import_register(reading);
      if (!std::isnan(reg)) observe_peak(r, tracks[meter], meter, time, reg, zone, out);
      break;
    }
    case ConditionKind::silent: {
      Track& t = tracks[meter];
      const std::int64_t seen = reading.received_ms() > 0 ? reading.received_ms() : time;
      t.last_seen = std::max(t.last_seen, seen);
      out.push_back({meter, meter_detail(meter), seen, 0, false, true});
      break;
    }
    default:
      break;
  }
  return out;
}

std::vector<Observation> observe_counters(const Rule& r, Tracks& tracks, const v1::Diagnostic& d) {
  std::vector<Observation> out;
  if (d.code() != "counters") return out;
  const bool errors = r.condition.kind == ConditionKind::decoder_errors_above;
  const bool queue = r.condition.kind == ConditionKind::queue_growing || r.condition.kind == ConditionKind::queue_above;
  const std::string prefix = errors ? "source." : "sink.";
  if ((!errors && !queue) || d.source().rfind(prefix, 0) != 0) return out;
  const std::string instance = d.source().substr(prefix.size());
  if (!r.meter.empty() && r.meter != instance) return out;
  const auto counter = d.counters().find(errors ? "errors" : "queue_depth");
  if (counter == d.counters().end()) return out;
  Track& t = tracks[instance];
  const double value = counter->second;
  const std::int64_t time = d.time_ms();
  const std::string detail = (errors ? "source " : "sink ") + instance;
  if (errors) {
    if (!t.counter_samples.empty() && value < t.counter_samples.back().second) t.counter_samples.clear();  // restarted
    t.counter_samples.emplace_back(time, value);
    while (t.counter_samples.size() > 2 && t.counter_samples[1].first <= time - kCounterWindowMs) t.counter_samples.pop_front();
    const auto span = time - t.counter_samples.front().first;
    if (span >= kCounterMinSpanMs) {
      const double per_hour = (value - t.counter_samples.front().second) / static_cast<double>(span) * 3.6e6;
      out.push_back(above(r, instance, detail, time, per_hour, r.condition.threshold));
    }
  } else if (r.condition.kind == ConditionKind::queue_above) {
    out.push_back(above(r, instance, detail, time, value, r.condition.threshold));
  } else if (!std::isnan(t.last_counter)) {
    out.push_back({instance, detail, time, value, value > 0 && value >= t.last_counter, value == 0 || value < t.last_counter});
  }
  t.last_counter = value;
  t.dirty = true;
  return out;
}

std::vector<Observation> observe_clock(const Rule& r, Tracks& tracks, std::int64_t now_ms) {
  std::vector<Observation> out;
  if (r.condition.kind != ConditionKind::silent) return out;
  for (auto& [meter, t] : tracks) {
    if (t.last_seen < 0 || now_ms - t.last_seen < r.condition.silence_ms) continue;
    out.push_back({meter, meter_detail(meter), now_ms, static_cast<double>(now_ms - t.last_seen) / 60'000, true, false});
  }
  return out;
}

std::string value_text(const Condition& c, double v) {
  char buffer[64];
  switch (c.kind) {
    case ConditionKind::power_above:
    case ConditionKind::power_below:
    case ConditionKind::base_load_above:
    case ConditionKind::peak_demand_above:
    case ConditionKind::peak_demand_near:
      if (std::fabs(v) >= 1000) std::snprintf(buffer, sizeof buffer, "%.2f kW", v / 1000);
      else std::snprintf(buffer, sizeof buffer, "%.0f W", v);
      break;
    case ConditionKind::voltage_outside: std::snprintf(buffer, sizeof buffer, "%.1f V", v); break;
    case ConditionKind::energy_above:
    case ConditionKind::energy_projected_above: std::snprintf(buffer, sizeof buffer, "%.2f kWh", v / 1000); break;
    case ConditionKind::base_load_rising: std::snprintf(buffer, sizeof buffer, "%+.1f %%", v); break;
    case ConditionKind::silent: std::snprintf(buffer, sizeof buffer, "%.0f min without a reading", v); break;
    case ConditionKind::decoder_errors_above: std::snprintf(buffer, sizeof buffer, "%.1f errors per hour", v); break;
    case ConditionKind::queue_growing:
    case ConditionKind::queue_above: std::snprintf(buffer, sizeof buffer, "%.0f queued", v); break;
  }
  return buffer;
}

}  // namespace meterd::alerts
