#pragma once
// Locale-independent number parsing for CSV cells, with std::from_chars (no allocation, no
// locale lookups), so a German-style "0,125" is read only when the mapping says so.
#include <optional>
#include <string_view>

namespace meterd::csv_table {

// Accepts surrounding spaces and a leading '+'. With `decimal_comma`, ',' is the decimal
// mark and a '.' is refused (it would be a thousands separator and the reading ambiguous).
// Empty optional for anything else, including an empty cell.
std::optional<double> parse_number(std::string_view text, bool decimal_comma);

// Whole numbers only, e.g. column indexes and header counts from the config.
std::optional<long long> parse_integer(std::string_view text);

}  // namespace meterd::csv_table
