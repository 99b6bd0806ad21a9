#pragma once
// How the columns of a CSV file become meter values: the one description used by the CSV
// watcher, the history importer and the built-in formats. Users write it as config options
// (see docs/importing-history.md); parse_mapping turns those options into a TableMapping and
// refuses anything it cannot use with a message naming the option.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace meterd::csv_table {

class MappingError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct ValueColumn {
  std::size_t index = 0;  // 0-based field index
  std::string obis;       // "1-0:32.7.0", may be empty
  std::string quantity;   // "voltage_l1", may be empty (then derived from `obis` where known)
  std::string unit;       // unit of the value after scaling
  double scale = 1.0;     // value = cell × scale
  std::string tariff;     // "HT", "NT" or empty
};

// What the timestamp of an interval row stands for.
enum class TimestampMarks { start, end, detect };

// Interval length: none (instantaneous values), a fixed number of seconds, a calendar day
// (23, 24 or 25 hours), or detected from the first rows of a file.
struct IntervalSpec {
  enum class Kind { none, fixed, day, detect } kind = Kind::none;
  std::int64_t seconds = 0;  // for `fixed`
  friend bool operator==(const IntervalSpec&, const IntervalSpec&) = default;
};

struct TableMapping {
  char separator = ',';
  std::size_t header_rows = 0;  // lines skipped before data, not counting a "sep=" line
  bool decimal_comma = false;
  std::size_t timestamp_column = 0;  // 0-based
  std::string timestamp_format = "iso8601";
  std::string time_zone;  // empty: the instance's default zone
  IntervalSpec interval;
  TimestampMarks marks = TimestampMarks::start;
  std::vector<ValueColumn> columns;
  std::optional<std::size_t> meter_id_column;  // 0-based; rows carry their meter's id
  // Some exports leave every value cell empty for an interval without consumption; read such a
  // row as 0 in the first column instead of skipping it.
  bool empty_row_is_zero = false;
};

// Option name → values, as they appear in the config (repeatable options have several).
using OptionValues = std::map<std::string, std::vector<std::string>>;

// The option names parse_mapping understands, for plugins to declare them.
const std::vector<std::string>& mapping_option_names();

// Builds a mapping from `options`, starting from `base` (a built-in format or defaults).
// Throws MappingError("option 'column' #2: ...") for anything unusable.
TableMapping parse_mapping(const OptionValues& options, TableMapping base = {});

// "15min", "1h", "900s", "900", "1d"/"day", "none"/"0", "auto". Throws MappingError.
IntervalSpec parse_interval(const std::string& text);
// "INDEX TARGET [UNIT [SCALE [TARIFF]]]", INDEX 1-based, TARGET an OBIS code, a quantity name
// or "OBIS/quantity". Throws MappingError.
ValueColumn parse_column(const std::string& text);
// "," ";" "tab" "\t" "|" ... Throws MappingError.
char parse_separator(const std::string& text);

// True for text shaped like an OBIS code "A-B:C.D.E".
bool looks_like_obis(const std::string& text);

}  // namespace meterd::csv_table
