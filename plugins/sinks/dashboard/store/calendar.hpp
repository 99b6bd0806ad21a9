#pragma once
// Calendar periods in the configured zone: hours, local days (23 to 25 h around DST),
// ISO weeks starting Monday, months and years. Everything returns UTC milliseconds.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace meterd {
class TimeZone;
}

namespace meterd::dashboard {

enum class Period { hour, day, week, month, year };
bool parse_period(std::string_view text, Period& out);

// The instants the calendar works on: 0001-01-01 to about 20000-01-01 UTC, far beyond what
// the API accepts (1970 to 9999) so that a period around an accepted instant, the one
// before it and the same one a year earlier all stay inside. An instant outside, a year
// shift of more than 10000 years or a walk over more than kMaxPeriodEdges periods throws
// std::out_of_range instead of overflowing or running away.
inline constexpr std::int64_t kCalendarMinMs = -62'135'596'800'000;
inline constexpr std::int64_t kCalendarMaxMs = 568'971'820'800'000;
inline constexpr std::size_t kMaxPeriodEdges = 400'000;

// Start of the period containing t.
std::int64_t period_start(Period period, std::int64_t t_ms, const TimeZone& zone);
// Start of the period after the one starting at `start`.
std::int64_t period_next(Period period, std::int64_t start_ms, const TimeZone& zone);
// The period that came `count` periods before the one starting at `start`, same calendar
// position one year earlier when `period` is year-sized (used for "same period last year").
std::int64_t shift_years(std::int64_t t_ms, int years, const TimeZone& zone);
// Starts of all periods overlapping [from, to), followed by the end of the last one.
std::vector<std::int64_t> period_edges(Period period, std::int64_t from_ms, std::int64_t to_ms, const TimeZone& zone);

}  // namespace meterd::dashboard
