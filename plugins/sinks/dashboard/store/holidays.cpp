#include "holidays.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>

#include "meterd/time_zone.hpp"

namespace meterd::dashboard {

namespace {
constexpr const char* kCantons[] = {"AG", "AI", "AR", "BE", "BL", "BS", "FR", "GE", "GL", "GR", "JU", "LU", "NE",
                                    "NW", "OW", "SG", "SH", "SO", "SZ", "TG", "TI", "UR", "VD", "VS", "ZG", "ZH"};
constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// How a holiday's date is found in a year.
enum class Rule { fixed, easter, geneva_fast, federal_fast_monday, naefels };

// Weekdays (Mon = bit 0) on which a holiday is kept; a few cantons keep a date only on some.
constexpr unsigned kEveryDay = 0x7F, kMondayOnly = 0x01, kNotTuesdayOrSaturday = 0x7F & ~0x02u & ~0x20u;

// The cantons' public holidays (days off by cantonal law), as the `holidays` Python package
// (github.com/vacanza/holidays, holidays/countries/switzerland.py, commit 01884cc, its PUBLIC
// category) lists them after the Federal Office of Justice's table "Gesetzliche Feiertage und
// Sonntage in der Schweiz" (bj.admin.ch, kant-feiertage.pdf). Left out, as that package does:
// days only some communes keep (Fribourg's catholic and reformed ones, whose holidays differ
// by confession, so FR has only Good Friday of its own), days the law allows but does not
// require (Berchtold's Day in ZH, GL, SG, SH, SO, NW, OW, VS, ZG; Easter and Whit Monday in
// NW, OW, VS, ZG; Good Friday in GR) and half days (1 May in SO). A utility that prices one of
// these like a Sunday: list it in `holidays`. `cantons`: "*" all, "-XX YY" all but those.
struct Holiday {
  const char* name;
  Rule rule;
  int month_or_offset, day;
  const char* cantons;
  unsigned weekdays = kEveryDay;
};
constexpr Holiday kTable[] = {
    {"New Year's Day", Rule::fixed, 1, 1, "*"},
    {"Berchtold's Day", Rule::fixed, 1, 2, "AG BE JU LU TG VD"},
    {"Berchtold's Day", Rule::fixed, 1, 2, "NE", kMondayOnly},  // when New Year's Day is a Sunday
    {"Epiphany", Rule::fixed, 1, 6, "SZ TI UR"},
    {"Republic Day", Rule::fixed, 3, 1, "NE"},
    {"St Joseph's Day", Rule::fixed, 3, 19, "NW SZ TI UR VS"},
    {"Näfelser Fahrt", Rule::naefels, 0, 0, "GL"},
    {"Good Friday", Rule::easter, -2, 0, "-GR TI VS"},
    {"Easter Monday", Rule::easter, 1, 0, "-FR NE NW OW SO VS ZG"},
    {"Labour Day", Rule::fixed, 5, 1, "AG BL BS JU NE SH TG TI ZH"},
    {"Ascension Day", Rule::easter, 39, 0, "*"},
    {"Whit Monday", Rule::easter, 50, 0, "-FR NE NW OW SO VS ZG"},
    {"Corpus Christi", Rule::easter, 60, 0, "AG AI JU LU NE NW OW SZ TI UR VS ZG"},
    {"Jura Independence Day", Rule::fixed, 6, 23, "JU"},
    {"St Peter and St Paul", Rule::fixed, 6, 29, "TI"},
    {"Swiss National Day", Rule::fixed, 8, 1, "*"},
    {"Assumption Day", Rule::fixed, 8, 15, "AG AI JU LU NW OW SZ TI UR VS ZG"},
    {"Jeûne genevois", Rule::geneva_fast, 0, 0, "GE"},
    {"Lundi du Jeûne", Rule::federal_fast_monday, 0, 0, "VD"},
    {"St Nicholas of Flüe", Rule::fixed, 9, 25, "OW"},
    {"All Saints' Day", Rule::fixed, 11, 1, "AG AI GL JU LU NW OW SG SZ TI UR VS ZG"},
    {"Immaculate Conception", Rule::fixed, 12, 8, "AG AI LU NW OW SZ TI UR VS ZG"},
    {"Christmas Day", Rule::fixed, 12, 25, "*"},
    {"St Stephen's Day", Rule::fixed, 12, 26, "AG BE BL BS GL GR LU SG SH SZ TG TI ZH"},
    {"St Stephen's Day", Rule::fixed, 12, 26, "AI AR UR", kNotTuesdayOrSaturday},  // not after a Monday or Friday Christmas
    {"St Stephen's Day", Rule::fixed, 12, 26, "NE", kMondayOnly},  // when Christmas is a Sunday
    {"Restoration of the Republic", Rule::fixed, 12, 31, "GE"},
};

int weekday_of_day(std::int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }  // 1970-01-01: Thursday

// The n-th (1-based) Sunday of September.
std::int64_t september_sunday(int year, int n) {
  const auto first = days_from_civil(year, 9, 1);
  return first + (6 - weekday_of_day(first)) + 7 * (n - 1);
}

// The first Thursday of April, a week later when that is Maundy Thursday.
std::int64_t naefelser_fahrt(int year) {
  const auto first = days_from_civil(year, 4, 1);
  const auto thursday = first + (3 - weekday_of_day(first) + 7) % 7;
  return thursday == easter_sunday(year) - 3 ? thursday + 7 : thursday;
}

std::int64_t date_by_rule(const Holiday& h, int year) {
  switch (h.rule) {
    case Rule::fixed: return days_from_civil(year, h.month_or_offset, h.day);
    case Rule::easter: return easter_sunday(year) + h.month_or_offset;
    case Rule::geneva_fast: return september_sunday(year, 1) + 4;        // the Thursday after
    case Rule::federal_fast_monday: return september_sunday(year, 3) + 1;  // the Monday after
    case Rule::naefels: return naefelser_fahrt(year);
  }
  return 0;
}

// The holiday's date in `year`, or nothing when it is not kept that year (a weekday it skips).
std::optional<std::int64_t> date_in(const Holiday& h, int year) {
  const auto date = date_by_rule(h, year);
  if (!((h.weekdays >> weekday_of_day(date)) & 1u)) return std::nullopt;
  return date;
}

bool applies(const Holiday& h, std::string_view canton) {
  std::string_view list = h.cantons;
  if (list == "*") return true;
  const bool except = list.front() == '-';
  if (except) list.remove_prefix(1);
  bool named = false;
  // Whole codes only, so that a list never matches across two of them.
  for (std::size_t at = 0; at + 2 <= list.size(); at += 3) named |= list.substr(at, 2) == canton;
  return except ? !named : named;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::int64_t parse_local_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  const auto digits = [&](std::size_t at, std::size_t n, int& out) {
    const auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + n, out);
    return ec == std::errc() && end == text.data() + at + n;
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d) ||
      m < 1 || m > 12 || d < 1)
    return -1;
  const auto day = days_from_civil(y, m, d);
  const auto back = seconds_to_civil(day * 86400);
  return back.day == d && back.month == m ? day : -1;
}

std::int64_t easter_sunday(int year) {
  // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return days_from_civil(year, month, day);
}

Holidays Holidays::parse(std::string_view dates, std::string_view canton, std::string_view as_weekday) {
  Holidays out;
  dates = trim(dates);
  while (!dates.empty()) {
    const auto comma = dates.find(',');
    const auto part = trim(dates.substr(0, comma));
    dates = comma == std::string_view::npos ? std::string_view{} : trim(dates.substr(comma + 1));
    const auto day = parse_local_date(part);
    if (day < 0)
      throw std::invalid_argument("option 'holidays': '" + std::string(part) +
                                  "' is not a date; write local dates like '2026-12-24, 2026-12-31'");
    out.days_.push_back(day);
  }
  std::sort(out.days_.begin(), out.days_.end());
  canton = trim(canton);
  if (!canton.empty()) {
    for (int i = 0; i < static_cast<int>(std::size(kCantons)); ++i)
      if (canton == kCantons[i]) out.canton_ = i;
    if (out.canton_ < 0)
      throw std::invalid_argument("option 'holiday_canton': '" + std::string(canton) +
                                  "' is no Swiss canton; write its two-letter code in capitals, e.g. ZH, BE or VD");
    out.canton_name_ = std::string(canton);
  }
  as_weekday = trim(as_weekday);
  if (!as_weekday.empty()) {
    out.as_weekday_ = -1;
    for (int i = 0; i < 7; ++i)
      if (as_weekday == kDays[i]) out.as_weekday_ = i;
    if (out.as_weekday_ < 0)
      throw std::invalid_argument("option 'holidays_as': '" + std::string(as_weekday) +
                                  "' is no weekday; write one of Mon, Tue, Wed, Thu, Fri, Sat, Sun");
  }
  return out;
}

bool Holidays::contains(std::int64_t local_day) const {
  if (std::binary_search(days_.begin(), days_.end(), local_day)) return true;
  if (canton_ < 0) return false;
  const int year = seconds_to_civil(local_day * 86400).year;
  for (const auto& h : kTable)
    if (applies(h, canton_name_) && date_in(h, year) == local_day) return true;
  return false;
}

int Holidays::weekday_of(std::int64_t local_day) const {
  return !empty() && contains(local_day) ? as_weekday_ : weekday_of_day(local_day);
}

std::vector<std::pair<std::int64_t, std::string>> Holidays::of_year(int year) const {
  std::vector<std::pair<std::int64_t, std::string>> out;
  if (canton_ >= 0)
    for (const auto& h : kTable)
      if (const auto date = applies(h, canton_name_) ? date_in(h, year) : std::nullopt) out.emplace_back(*date, h.name);
  for (const auto day : days_)
    if (seconds_to_civil(day * 86400).year == year) out.emplace_back(day, "configured");
  std::sort(out.begin(), out.end());
  return out;
}

LocalSlot local_slot(std::int64_t utc_ms, const TimeZone& zone, const Holidays& holidays) {
  const auto local = zone.utc_to_local(utc_ms >= 0 ? utc_ms / 1000 : (utc_ms - 999) / 1000);
  const auto c = seconds_to_civil(local);
  return {holidays.weekday_of(days_from_civil(c.year, c.month, c.day)), c.hour};
}

}  // namespace meterd::dashboard
