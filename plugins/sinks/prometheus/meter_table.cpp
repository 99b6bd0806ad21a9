#include "meter_table.hpp"

#include "value_metric.hpp"

namespace meterd::prometheus {

bool MeterTable::update(const v1::Reading& reading, Clock::time_point now) {
  bool any = false;
  std::lock_guard lock(mutex_);
  Meter* meter = nullptr;
  for (const v1::Value& value : reading.values()) {
    const auto metric = value_metric(value);
    if (!metric) continue;
    if (!meter) meter = &meters_[reading.meter_id()];
    // Labels are formatted (and escaped) once here rather than on every scrape.
    std::string labels = format_labels({{"meter", reading.meter_id()},
                                        {"obis", value.obis()},
                                        {"quantity", metric->quantity},
                                        {"phase", metric->phase},
                                        {"unit", metric->unit}});
    meter->series.insert_or_assign({metric->name, std::move(labels)},
                                   Series{metric->type, metric->help, metric->value, now});
    any = true;
  }
  if (meter) meter->last_seen = now;
  return any;
}

void MeterTable::append_to(FamilySet& out, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  for (auto meter = meters_.begin(); meter != meters_.end();) {
    std::erase_if(meter->second.series, [&](const auto& entry) { return stale(entry.second.seen, now); });
    if (meter->second.series.empty()) {
      meter = meters_.erase(meter);
      continue;
    }
    for (const auto& [key, series] : meter->second.series) {
      out.add_formatted(key.first, series.type, series.help, key.second, series.value);
    }
    const std::chrono::duration<double> age = now - meter->second.last_seen;
    out.add("meterd_last_reading_age_seconds", MetricType::gauge,
            "Seconds since the last reading with current values arrived from the meter",
            {{"meter", meter->first}}, age.count());
    ++meter;
  }
}

std::size_t MeterTable::meter_count() const {
  std::lock_guard lock(mutex_);
  return meters_.size();
}

}  // namespace meterd::prometheus
