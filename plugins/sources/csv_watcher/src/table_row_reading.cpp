#include "table_row_reading.hpp"

#include "meterd/csv_table/reading_identity.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::csv_plugins {
namespace {

void fill_value(v1::Value& v, const csv_table::RowValue& value, bool read_as_zero) {
  const auto& column = *value.column;
  v.set_obis(column.obis);
  v.set_quantity(column.quantity);
  v.set_number(value.number);
  v.set_unit(column.unit);
  // A row read as zero because every cell was empty belongs to no tariff.
  if (!read_as_zero) v.set_tariff(column.tariff);
}

std::string_view quantity_of(const csv_table::ValueColumn& c) { return c.quantity.empty() ? c.obis : c.quantity; }

}  // namespace

void append_readings(const csv_table::TableRow& row, std::string_view meter_id, const TimeZone& zone,
                     std::vector<v1::Reading>& out) {
  const std::string_view id = row.meter_id.empty() ? meter_id : row.meter_id;
  if (row.interval_end_ms) {
    for (const auto& value : row.values) {
      v1::Reading& r = out.emplace_back();
      r.set_meter_id(std::string(id));
      v1::Value& v = *r.add_values();
      fill_value(v, value, row.empty_read_as_zero);
      v.set_interval_start_ms(row.time_ms);
      v.set_interval_end_ms(row.interval_end_ms);
      r.set_id(csv_table::reading_id(id, row.time_ms, quantity_of(*value.column), v.tariff()));
    }
    return;
  }
  v1::Reading& r = out.emplace_back();
  r.set_meter_id(std::string(id));
  r.set_meter_time_ms(row.time_ms);
  if (row.wall_clock) r.set_meter_utc_offset_s(zone.offset_at(row.time_ms / 1000));
  std::string quantities;
  for (const auto& value : row.values) {
    fill_value(*r.add_values(), value, row.empty_read_as_zero);
    if (!quantities.empty()) quantities += '+';
    quantities += quantity_of(*value.column);
  }
  r.set_id(csv_table::reading_id(id, row.time_ms, quantities, ""));
}

}  // namespace meterd::csv_plugins
