#pragma once
// The column-mapping options both CSV sources accept, declared once for the config schema and
// read back into the library's OptionValues.
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include "meterd/csv_table/column_mapping.hpp"

namespace meterd::csv_plugins {

// Declares separator, header_rows, decimal_comma, timestamp_column, timestamp_format,
// time_zone, interval, timestamp_is, column (repeatable), meter_id_column, empty_row_is_zero.
// None has a default here: an option left out keeps the chosen format's own value.
void describe_mapping_options(boost::program_options::options_description& options);

csv_table::OptionValues mapping_options(const boost::program_options::variables_map& options);

}  // namespace meterd::csv_plugins
