#pragma once
// Turns decoded CSV rows into bus Readings, the same way for the CSV watcher and the history
// importer so their output looks like a live source's: one Reading per row of instantaneous
// values (meter time = the row's time), one Reading per value of interval data (energy per
// interval with start, end and tariff), each with a stable id for upserts.
#include <string_view>
#include <vector>

#include "meterd/csv_table/row_decoder.hpp"
#include "meterd/v1/bus.pb.h"

namespace meterd::csv_plugins {

// Appends the readings for `row` to `out`. `meter_id` is used unless the row names its own.
void append_readings(const csv_table::TableRow& row, std::string_view meter_id, const TimeZone& zone,
                     std::vector<v1::Reading>& out);

}  // namespace meterd::csv_plugins
