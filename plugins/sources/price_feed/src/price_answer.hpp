#pragma once
// Prices as a feed gives them: a JSON answer of a day-ahead price API (an array of intervals,
// each with a start time and a price) or a CSV price file ("start,price" per line), turned into
// prices per kWh with checks that refuse a whole answer rather than pass on a wrong price.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace meterd::price_feed {

enum class TimeUnit { ms, s, iso8601 };

struct PriceFormat {
  std::string pointer = "/data";              // JSON pointer to the array of intervals
  std::string time_field = "start_timestamp";
  TimeUnit time_unit = TimeUnit::ms;
  std::string price_field = "marketprice";
  std::string unit_field;                     // field naming the unit of each price; empty: none
  std::string expected_unit;                  // what that field must say, e.g. "Eur/MWh"
  double scale = 1;                           // multiplies each price, e.g. 0.001 for per MWh -> per kWh
  std::int64_t interval_ms = 3'600'000;       // 15 min or 1 h
  double max_abs_per_kwh = 5;                 // a price beyond this (after scale) is refused as a unit error
};

struct PricePoint {
  std::int64_t start_ms = 0;
  double per_kwh = 0;
};

struct PriceAnswer {
  std::vector<PricePoint> prices;  // ascending by start; empty when refused
  std::string code;                // empty, or the diagnostic: price_feed_malformed, price_feed_unit
  std::string problem;             // for a person: what was wrong
  bool ok() const { return code.empty(); }
};

PriceAnswer parse_price_json(std::string_view body, const PriceFormat& format);
// Lines "2026-03-29T12:15:00+02:00,0.2315" (or epoch ms); '#' lines, a header line and blank
// lines are skipped. The price is per kWh after `scale`.
PriceAnswer parse_price_csv(std::string_view text, const PriceFormat& format);
// "2026-03-29T12:15:00+02:00", "...Z" or "...+0200" as UTC ms; -1 when it is none.
std::int64_t parse_iso8601_ms(std::string_view text);

}  // namespace meterd::price_feed
