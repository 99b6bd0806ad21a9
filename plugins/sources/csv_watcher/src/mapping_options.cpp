#include "mapping_options.hpp"

#include <string>
#include <vector>

namespace po = boost::program_options;

namespace meterd::csv_plugins {

void describe_mapping_options(po::options_description& options) {
  options.add_options()
    ("separator", po::value<std::string>(), "field separator: one character, or tab (format's own by default)")
    ("header_rows", po::value<std::string>(), "lines before the data, not counting a 'sep=' line")
    ("decimal_comma", po::value<std::string>(), "true when numbers use ',' as decimal mark")
    ("timestamp_column", po::value<std::string>(), "1-based column of the timestamp")
    ("timestamp_format", po::value<std::string>(),
     "e.g. 'dd.MM.yyyy HH:mm:ss', 'yyyy-MM-dd HH:mm', iso8601, unix, unix_ms")
    ("time_zone", po::value<std::string>(), "zone of wall-clock timestamps (default: [meterd] time_zone)")
    ("interval", po::value<std::string>(), "none, 15min, 1h, day, auto: what one row covers")
    ("timestamp_is", po::value<std::string>(), "start, end or auto: which end of the interval a timestamp marks")
    ("column", po::value<std::vector<std::string>>()->composing(),
     "INDEX TARGET [UNIT [SCALE [TARIFF]]], repeatable; TARGET is an OBIS code, a quantity or OBIS/quantity")
    ("meter_id_column", po::value<std::string>(), "1-based column holding each row's meter id")
    ("empty_row_is_zero", po::value<std::string>(), "read a row whose value cells are all empty as 0");
}

csv_table::OptionValues mapping_options(const po::variables_map& options) {
  csv_table::OptionValues out;
  for (const auto& name : csv_table::mapping_option_names()) {
    if (!options.count(name)) continue;
    const auto& value = options[name];
    if (name == "column") out[name] = value.as<std::vector<std::string>>();
    else out[name].push_back(value.as<std::string>());
  }
  return out;
}

}  // namespace meterd::csv_plugins
