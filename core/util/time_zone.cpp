#include "meterd/time_zone.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace meterd {

// Howard Hinnant's public-domain civil calendar algorithms.
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

static void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

std::int64_t civil_to_seconds(const CivilTime& c) {
  return days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.minute * 60 + c.second;
}

CivilTime seconds_to_civil(std::int64_t s) {
  std::int64_t days = s / 86400;
  std::int64_t rem = s % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  CivilTime c;
  civil_from_days(days, c.year, c.month, c.day);
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem / 60 % 60);
  c.second = static_cast<int>(rem % 60);
  return c;
}

namespace {

// POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3"), used past the end of the TZif table.
struct PosixRule {
  int std_offset = 0, dst_offset = 0;  // east of UTC, seconds
  bool has_dst = false;
  int start_month = 0, start_week = 0, start_wday = 0, start_time = 7200;
  int end_month = 0, end_week = 0, end_wday = 0, end_time = 7200;
};

struct Cursor {
  const std::string& s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
};

void skip_name(Cursor& c) {
  if (c.peek() == '<') {
    while (!c.done() && c.peek() != '>') ++c.i;
    ++c.i;
    return;
  }
  while (!c.done() && std::isalpha(static_cast<unsigned char>(c.peek()))) ++c.i;
}

// [+-]hh[:mm[:ss]] as seconds.
int parse_hms(Cursor& c) {
  int sign = 1;
  if (c.peek() == '+' || c.peek() == '-') sign = c.s[c.i++] == '-' ? -1 : 1;
  int parts[3] = {0, 0, 0};
  for (int k = 0; k < 3; ++k) {
    int v = 0;
    bool any = false;
    while (std::isdigit(static_cast<unsigned char>(c.peek()))) {
      v = v * 10 + (c.s[c.i++] - '0');
      any = true;
    }
    if (!any) throw std::invalid_argument("bad time in POSIX TZ rule");
    parts[k] = v;
    if (c.peek() != ':') break;
    ++c.i;
  }
  return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
}

void parse_date(Cursor& c, int& month, int& week, int& wday, int& time) {
  if (c.peek() != 'M') throw std::invalid_argument("only Mm.w.d POSIX TZ dates are supported");
  ++c.i;
  std::sscanf(c.s.c_str() + c.i, "%d.%d.%d", &month, &week, &wday);
  while (!c.done() && c.peek() != '/' && c.peek() != ',') ++c.i;
  if (c.peek() == '/') {
    ++c.i;
    time = parse_hms(c);
  }
}

PosixRule parse_posix(const std::string& s) {
  PosixRule r;
  Cursor c{s};
  skip_name(c);
  r.std_offset = -parse_hms(c);  // POSIX offsets are west of UTC
  if (c.done()) return r;
  r.has_dst = true;
  skip_name(c);
  r.dst_offset = r.std_offset + 3600;
  if (c.peek() != ',' && !c.done()) r.dst_offset = -parse_hms(c);
  if (c.peek() != ',') throw std::invalid_argument("POSIX TZ rule without transition dates");
  ++c.i;
  parse_date(c, r.start_month, r.start_week, r.start_wday, r.start_time);
  if (c.peek() != ',') throw std::invalid_argument("POSIX TZ rule without end date");
  ++c.i;
  parse_date(c, r.end_month, r.end_week, r.end_wday, r.end_time);
  return r;
}

// Local day (days since epoch) of "week w (5 = last) weekday d of month m".
std::int64_t rule_day(int year, int month, int week, int wday) {
  const std::int64_t first = days_from_civil(year, month, 1);
  const int first_wday = static_cast<int>(((first % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  std::int64_t day = first + ((wday - first_wday + 7) % 7) + (week - 1) * 7;
  const int next_month_year = month == 12 ? year + 1 : year;
  const std::int64_t next_first = days_from_civil(next_month_year, month == 12 ? 1 : month + 1, 1);
  while (day >= next_first) day -= 7;
  return day;
}

std::int64_t read_be(const unsigned char* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = v << 8 | p[i];
  if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

constexpr int kLastRuleYear = 2200;

}  // namespace

TimeZone::TimeZone(std::string name, std::vector<Transition> transitions, int initial_offset,
                   std::string posix_rule)
    : name_(std::move(name)), transitions_(std::move(transitions)), initial_offset_(initial_offset),
      posix_rule_(std::move(posix_rule)) {
  if (posix_rule_.empty()) return;
  const PosixRule r = parse_posix(posix_rule_);
  if (!r.has_dst) return;
  // Unroll the rule into explicit transitions so every lookup is one binary search.
  const std::int64_t after = transitions_.empty() ? INT64_MIN : transitions_.back().at;
  const int from_year = transitions_.empty() ? 1970 : seconds_to_civil(after).year;
  for (int y = from_year; y <= kLastRuleYear; ++y) {
    const std::int64_t on = rule_day(y, r.start_month, r.start_week, r.start_wday) * 86400 + r.start_time - r.std_offset;
    const std::int64_t off = rule_day(y, r.end_month, r.end_week, r.end_wday) * 86400 + r.end_time - r.dst_offset;
    if (on > after) transitions_.push_back({on, r.dst_offset, true});
    if (off > after) transitions_.push_back({off, r.std_offset, false});
  }
  std::sort(transitions_.begin(), transitions_.end(), [](auto& a, auto& b) { return a.at < b.at; });
}

std::shared_ptr<const TimeZone> TimeZone::utc() {
  static const auto zone = std::make_shared<const TimeZone>("UTC", std::vector<Transition>{}, 0, "");
  return zone;
}

std::shared_ptr<const TimeZone> TimeZone::load(std::string_view name) {
  if (name == "UTC" || name == "Etc/UTC" || name == "Z") return utc();
  if (name.empty() || name.find("..") != std::string_view::npos || name.front() == '/')
    throw std::invalid_argument("invalid time zone name '" + std::string(name) +
                                "': use an IANA name such as Europe/Zurich");
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(name); it != cache.end()) return it->second;

  const std::string path = "/usr/share/zoneinfo/" + std::string(name);
  // A region folder such as "Europe" exists too, and reading a folder throws from the stream.
  std::error_code ec;
  std::ifstream in;
  if (std::filesystem::is_regular_file(path, ec)) in.open(path, std::ios::binary);
  if (!in.is_open() || !in)
    throw std::invalid_argument("unknown time zone '" + std::string(name) + "' (no file " + path +
                                "): use an IANA name such as Europe/Zurich, and install the tzdata package");
  std::string data;
  try {
    data.assign(std::istreambuf_iterator<char>(in), {});
  } catch (const std::exception& e) {
    throw std::invalid_argument("cannot read time zone file " + path + ": " + e.what());
  }
  const auto bad = [&] { return std::invalid_argument("time zone file " + path + " is not a valid TZif file"); };
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const std::size_t size = data.size();
  if (size < 44 || data.compare(0, 4, "TZif") != 0) throw bad();

  // Skip the version-1 block (32-bit times) when a version-2+ block follows.
  auto counts = [&](std::size_t at, std::int64_t c[6]) {
    for (int i = 0; i < 6; ++i) c[i] = read_be(p + at + 20 + 4 * i, 4);
  };
  std::int64_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  counts(0, c);
  std::size_t at = 44;
  int time_size = 4;
  if (data[4] >= '2') {
    at += c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
    if (at + 44 > size) throw bad();
    counts(at, c);
    at += 44;
    time_size = 8;
  }
  const std::int64_t timecnt = c[3], typecnt = c[4];
  if (typecnt <= 0 || at + timecnt * (time_size + 1) + typecnt * 6 > size) throw bad();
  std::vector<std::pair<int, bool>> types(typecnt);
  const std::size_t types_at = at + timecnt * (time_size + 1);
  for (std::int64_t i = 0; i < typecnt; ++i)
    types[i] = {static_cast<int>(read_be(p + types_at + i * 6, 4)), p[types_at + i * 6 + 4] != 0};
  std::vector<Transition> transitions;
  for (std::int64_t i = 0; i < timecnt; ++i) {
    const unsigned idx = p[at + timecnt * time_size + i];
    if (idx >= types.size()) throw bad();
    transitions.push_back({read_be(p + at + i * time_size, time_size), types[idx].first, types[idx].second});
  }
  std::string rule;
  if (time_size == 8) {
    const std::size_t nl = data.rfind('\n', size - 2);
    if (nl != std::string::npos && data.back() == '\n') rule = data.substr(nl + 1, size - nl - 2);
  }
  auto zone = std::make_shared<const TimeZone>(std::string(name), std::move(transitions), types[0].first, rule);
  cache.emplace(std::string(name), zone);
  return zone;
}

const TimeZone::Transition* TimeZone::find(std::int64_t utc_seconds) const {
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds,
                             [](std::int64_t t, const Transition& tr) { return t < tr.at; });
  if (it == transitions_.begin()) return nullptr;
  return &*(it - 1);
}

int TimeZone::offset_at(std::int64_t utc_seconds) const {
  const Transition* t = find(utc_seconds);
  return t ? t->offset : initial_offset_;
}

bool TimeZone::is_dst_at(std::int64_t utc_seconds) const {
  const Transition* t = find(utc_seconds);
  return t && t->dst;
}

std::vector<std::int64_t> TimeZone::local_to_utc(std::int64_t local_seconds) const {
  // Offsets never exceed a day, so trying the offsets in force a day either side finds all.
  std::vector<std::int64_t> out;
  for (int off : {offset_at(local_seconds - 86400), offset_at(local_seconds + 86400)}) {
    const std::int64_t utc = local_seconds - off;
    if (offset_at(utc) == off && std::find(out.begin(), out.end(), utc) == out.end()) out.push_back(utc);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::int64_t TimeZone::start_of_local_day(std::int64_t utc_seconds) const {
  std::int64_t local = utc_to_local(utc_seconds);
  local -= ((local % 86400) + 86400) % 86400;
  // Midnight itself can fall into a gap in a few zones; the day then starts at the gap's end.
  for (int step = 0; step < 48; ++step, local += 1800) {
    auto utc = local_to_utc(local);
    if (!utc.empty()) return utc.front();
  }
  return local - offset_at(utc_seconds);
}

std::string format_iso8601_local(const CivilTime& c) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute,
                c.second);
  return buf;
}

std::string format_iso8601(std::int64_t utc_seconds, int offset_seconds, bool z_for_utc) {
  std::string s = format_iso8601_local(seconds_to_civil(utc_seconds + offset_seconds));
  if (offset_seconds == 0 && z_for_utc) return s + "Z";
  const int a = std::abs(offset_seconds);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_seconds < 0 ? '-' : '+', a / 3600, a / 60 % 60);
  return s + buf;
}

}  // namespace meterd
