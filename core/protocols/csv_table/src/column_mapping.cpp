#include "meterd/csv_table/column_mapping.hpp"

#include <sstream>

#include "meterd/csv_table/number_parser.hpp"
#include "meterd/csv_table/timestamp_format.hpp"

namespace meterd::csv_table {
namespace {

const std::string* single(const OptionValues& options, const std::string& name) {
  const auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return nullptr;
  if (it->second.size() > 1) throw MappingError("option '" + name + "' is given more than once");
  return &it->second.front();
}

std::size_t positive_index(const std::string& name, const std::string& text) {
  const auto v = parse_integer(text);
  if (!v || *v < 1 || *v > 10000)
    throw MappingError("option '" + name + "': '" + text + "' is not a column number (1 is the first column)");
  return static_cast<std::size_t>(*v - 1);
}

bool parse_bool(const std::string& name, const std::string& text) {
  if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
  if (text == "false" || text == "no" || text == "off" || text == "0") return false;
  throw MappingError("option '" + name + "': '" + text + "' is not true or false");
}

}  // namespace

const std::vector<std::string>& mapping_option_names() {
  static const std::vector<std::string> names = {
      "separator", "header_rows", "decimal_comma", "timestamp_column", "timestamp_format", "time_zone",
      "interval",  "timestamp_is", "column",       "meter_id_column",  "empty_row_is_zero"};
  return names;
}

bool looks_like_obis(const std::string& text) {
  const auto dash = text.find('-');
  const auto colon = text.find(':');
  return dash != std::string::npos && colon != std::string::npos && dash < colon &&
         text.find('.', colon) != std::string::npos;
}

char parse_separator(const std::string& text) {
  if (text == "tab" || text == "\\t" || text == "\t") return '\t';
  if (text == "semicolon") return ';';
  if (text == "comma") return ',';
  if (text.size() == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r') return text[0];
  throw MappingError("option 'separator': '" + text + "' is not one character (use e.g. ';', ',', tab)");
}

IntervalSpec parse_interval(const std::string& text) {
  if (text == "auto") return {IntervalSpec::Kind::detect, 0};
  if (text == "none" || text == "0") return {IntervalSpec::Kind::none, 0};
  if (text == "day" || text == "1d") return {IntervalSpec::Kind::day, 0};
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const auto number = parse_integer(text.substr(0, digits));
  const std::string unit = text.substr(digits);
  long long factor = 0;
  if (unit.empty() || unit == "s") factor = 1;
  else if (unit == "min" || unit == "m") factor = 60;
  else if (unit == "h") factor = 3600;
  if (!number || *number <= 0 || factor == 0 || *number * factor > 86400)
    throw MappingError("option 'interval': '" + text +
                       "' is not a length such as 15min, 1h, 900s, day, none or auto (at most a day)");
  if (*number * factor == 86400) return {IntervalSpec::Kind::day, 0};
  return {IntervalSpec::Kind::fixed, *number * factor};
}

ValueColumn parse_column(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> parts;
  for (std::string part; in >> part;) parts.push_back(part);
  if (parts.size() < 2 || parts.size() > 5)
    throw MappingError("option 'column': '" + text + "' should be INDEX TARGET [UNIT [SCALE [TARIFF]]], e.g. "
                       "'3 1-0:32.7.0 V' or '5 active_power_import W 1000'");
  ValueColumn c;
  c.index = positive_index("column", parts[0]);
  const std::string& target = parts[1];
  if (const auto slash = target.find('/'); slash != std::string::npos) {
    c.obis = target.substr(0, slash);
    c.quantity = target.substr(slash + 1);
    if (!looks_like_obis(c.obis) || c.quantity.empty())
      throw MappingError("option 'column': '" + target + "' should be OBIS/quantity, e.g. 1-0:32.7.0/voltage_l1");
  } else if (looks_like_obis(target)) {
    c.obis = target;
  } else {
    c.quantity = target;
  }
  // "-" keeps the unit empty (power factor) while still allowing a scale after it.
  if (parts.size() > 2 && parts[2] != "-") c.unit = parts[2];
  if (parts.size() > 3) {
    const auto scale = parse_number(parts[3], false);
    if (!scale || *scale == 0)
      throw MappingError("option 'column': scale '" + parts[3] + "' is not a non-zero number");
    c.scale = *scale;
  }
  if (parts.size() > 4) c.tariff = parts[4];
  return c;
}

TableMapping parse_mapping(const OptionValues& options, TableMapping base) {
  TableMapping m = std::move(base);
  if (const auto* v = single(options, "separator")) m.separator = parse_separator(*v);
  if (const auto* v = single(options, "header_rows")) {
    const auto n = parse_integer(*v);
    if (!n || *n < 0 || *n > 1000) throw MappingError("option 'header_rows': '" + *v + "' is not a count of lines");
    m.header_rows = static_cast<std::size_t>(*n);
  }
  if (const auto* v = single(options, "decimal_comma")) m.decimal_comma = parse_bool("decimal_comma", *v);
  if (const auto* v = single(options, "timestamp_column")) m.timestamp_column = positive_index("timestamp_column", *v);
  if (const auto* v = single(options, "timestamp_format")) m.timestamp_format = *v;
  if (const auto* v = single(options, "time_zone")) m.time_zone = *v;
  if (const auto* v = single(options, "interval")) m.interval = parse_interval(*v);
  if (const auto* v = single(options, "timestamp_is")) {
    if (*v == "start") m.marks = TimestampMarks::start;
    else if (*v == "end") m.marks = TimestampMarks::end;
    else if (*v == "auto") m.marks = TimestampMarks::detect;
    else throw MappingError("option 'timestamp_is': '" + *v + "' is not start, end or auto");
  }
  if (const auto* v = single(options, "meter_id_column")) m.meter_id_column = positive_index("meter_id_column", *v);
  if (const auto* v = single(options, "empty_row_is_zero")) m.empty_row_is_zero = parse_bool("empty_row_is_zero", *v);
  if (const auto it = options.find("column"); it != options.end() && !it->second.empty()) {
    m.columns.clear();  // a configured mapping replaces the built-in one as a whole
    for (const auto& text : it->second) m.columns.push_back(parse_column(text));
  }

  std::string error;
  if (!TimestampFormat::compile(m.timestamp_format, error)) throw MappingError("option 'timestamp_format': " + error);
  if (m.columns.empty()) throw MappingError("option 'column': no value columns are mapped");
  for (std::size_t i = 0; i < m.columns.size(); ++i) {
    const auto& c = m.columns[i];
    const std::string which = "option 'column' #" + std::to_string(i + 1) + ": ";
    if (c.index == m.timestamp_column) throw MappingError(which + "column " + std::to_string(c.index + 1) + " is the timestamp column");
    if (m.meter_id_column && c.index == *m.meter_id_column)
      throw MappingError(which + "column " + std::to_string(c.index + 1) + " is the meter id column");
  }
  if (m.decimal_comma && m.separator == ',')
    throw MappingError("option 'decimal_comma': a file separated by ',' cannot also use ',' as decimal mark");
  return m;
}

}  // namespace meterd::csv_table
