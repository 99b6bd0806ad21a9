#include "influx_schema.hpp"

#include "meterd/sink/value_kind.hpp"

namespace meterd::influx {
namespace {

std::int64_t reading_time_ms(const v1::Reading& reading) {
  return reading.has_meter_time_ms() ? reading.meter_time_ms() : reading.received_ms();
}

std::int64_t value_time_ms(const v1::Reading& reading, const v1::Value& value) {
  // Interval data belongs to the interval it describes: "energy per day" then lands on its
  // day in Grafana instead of on the moment the meter reported it.
  if (value.interval_start_ms() != 0) return value.interval_start_ms();
  if (value.time_ms() != 0) return value.time_ms();
  return reading_time_ms(reading);
}

Point base_point(const v1::Reading& reading, const v1::Value& value, std::string measurement) {
  Point point;
  point.measurement = std::move(measurement);
  point.tags = {{"meter", reading.meter_id()}, {"obis", value.obis()},   {"quantity", value.quantity()},
                {"source", reading.source()},  {"tariff", value.tariff()}};
  point.time_ms = value_time_ms(reading, value);
  return point;
}

}  // namespace

std::vector<Point> points_for_reading(const v1::Reading& reading) {
  std::vector<Point> points;
  points.reserve(static_cast<std::size_t>(reading.values_size()));
  for (const v1::Value& value : reading.values()) {
    if (value.has_text()) {
      Point point = base_point(reading, value, "meter_info");
      point.fields.emplace_back("text", value.text());
      points.push_back(std::move(point));
      continue;
    }
    if (!value.has_number()) continue;
    const sink::ValueClass kind = sink::classify_value(value.obis(), value.quantity(), value.unit());
    const sink::ScaledValue scaled = sink::normalize_unit(kind.kind, value.number(), value.unit());
    Point point = base_point(reading, value, sink::kind_name(kind.kind));
    point.tags.emplace_back("phase", kind.phase);
    if (kind.kind == sink::ValueKind::other) point.tags.emplace_back("unit", scaled.unit);
    point.fields.emplace_back("value", scaled.value);
    if (value.interval_start_ms() != 0 || value.interval_end_ms() != 0) {
      point.fields.emplace_back("interval_start_ms", static_cast<std::int64_t>(value.interval_start_ms()));
      point.fields.emplace_back("interval_end_ms", static_cast<std::int64_t>(value.interval_end_ms()));
    }
    points.push_back(std::move(point));
  }
  // A field, not a tag: one series per reading would swamp the index. Delivered again, a
  // reading lands on the same series and time and replaces itself.
  if (!reading.id().empty())
    for (auto& point : points) point.fields.emplace_back("reading_id", reading.id());
  return points;
}

}  // namespace meterd::influx
