#include "price_schedule.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>

#include "calendar.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dashboard {

namespace {
constexpr double kHoursPerYear = 8760.0;
constexpr double kHoursPerWeek = 168.0;

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// "a", "a and b", "a, b and c"
std::string listing(const std::vector<std::string>& items, const std::string& suffix = "") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i] + suffix;
  }
  return out;
}

// "a=0.30 b=0.30"
std::string spaced(const std::vector<std::string>& items, const std::string& suffix) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item + suffix;
  return out;
}

struct Parser {
  std::string_view option;
  const std::vector<std::string>& bands;
  const TimeZone& zone;

  [[noreturn]] void refuse(std::string_view part, const std::string& why) const {
    std::string example = bands.empty() || bands == std::vector<std::string>{"ht", "nt"}
                              ? "'2025-01-01 ht=0.31 nt=0.21, 2026-01-01 ht=0.32 nt=0.22' or '2025-01-01 price=0.27'"
                              : "'2026-01-01 " + spaced(bands, "=0.30") + "' or '2026-01-01 price=0.27'";
    throw std::invalid_argument("option '" + std::string(option) + "': '" + std::string(part) + "' " + why +
                                "; write e.g. " + example);
  }

  std::string every_band() const {
    return bands.size() == 2 ? "both " + listing(bands, "=") : "a price for every band: " + listing(bands, "=");
  }

  // The keys and prices of "ht=0.31 nt=0.21" (or "price=0.27", or "0.27") into `set`.
  void read_prices(std::string_view part, std::string_view rest, PriceSet& set) const {
    std::vector<bool> given(bands.size(), false);
    bool single = false;
    double plain = 0;
    if (!rest.empty() && rest.find('=') == std::string_view::npos && read_number(rest, plain)) {
      rest = {};
      set.single = plain;
      single = true;
      if (plain < 0) refuse(part, "has a negative price");
    }
    while (!rest.empty()) {
      const auto gap = rest.find(' ');
      const auto item = rest.substr(0, gap);
      rest = gap == std::string_view::npos ? std::string_view{} : trim(rest.substr(gap + 1));
      const auto eq = item.find('=');
      const auto key = item.substr(0, eq);
      double value = 0;
      if (eq == std::string_view::npos || !read_number(item.substr(eq + 1), value))
        refuse(part, "has '" + std::string(item) + "', not key=number");
      if (value < 0) refuse(part, "has a negative price");
      if (key == "price") {
        set.single = value;
        single = true;
        continue;
      }
      const auto at = std::find(bands.begin(), bands.end(), key);
      if (at == bands.end()) {
        if (bands.empty() && (key == "ht" || key == "nt"))
          refuse(part, "gives ht/nt prices but no ht_schedule is set; set it, or use price=");
        auto keys = bands;
        keys.insert(keys.begin(), "price");
        refuse(part, "has '" + std::string(key) + "'; the keys are " + listing(keys));
      }
      if (set.band.empty()) set.band.assign(bands.size(), 0);
      set.band[static_cast<std::size_t>(at - bands.begin())] = value;
      given[static_cast<std::size_t>(at - bands.begin())] = true;
    }
    const bool any = std::find(given.begin(), given.end(), true) != given.end();
    const bool all = !bands.empty() && std::find(given.begin(), given.end(), false) == given.end();
    if (single == any) refuse(part, "needs either price= or " + (bands.empty() ? std::string("ht= and nt=") : every_band()));
    if (any && !all) refuse(part, "needs " + every_band());
    if (bands.size() == 2) {
      set.high = set.of_band(0);
      set.low = set.of_band(1);
    } else {
      set.high = set.low = set.single;
    }
  }

  static bool read_number(std::string_view text, double& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  }

  PriceSet dated_set(std::string_view part) const {
    PriceSet set;
    const auto space = part.find(' ');
    set.from_date = std::string(part.substr(0, space));
    const auto midnight = local_midnight(set.from_date);
    if (!midnight) refuse(part, "does not start with a date like 2025-01-01");
    set.from_ms = *midnight;
    read_prices(part, space == std::string_view::npos ? std::string_view{} : trim(part.substr(space + 1)), set);
    return set;
  }

  // "2025-01-01" as its local midnight; nullopt when it is no calendar date.
  std::optional<std::int64_t> local_midnight(std::string_view date) const {
    const auto day = parse_local_date(date);
    if (day < 0) return std::nullopt;
    const auto wall = day * 86400;
    // Midnight never falls into a skipped hour in the zones meterd serves; the earliest of the
    // candidates when it repeats, and one hour later where a zone skips it.
    auto utc = zone.local_to_utc(wall);
    if (utc.empty()) utc = zone.local_to_utc(wall + 3600);
    if (utc.empty()) return std::nullopt;
    return utc.front() * 1000;
  }
};

bool starts_with_date(std::string_view text) {
  return text.size() >= 5 && std::all_of(text.begin(), text.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }) &&
         text[4] == '-';
}

// Local days of the month the local day starting at `day_ms` lies in.
int days_in_month(std::int64_t day_ms, const TimeZone& zone) {
  const auto c = seconds_to_civil(zone.utc_to_local(day_ms / 1000));
  const int next_year = c.month == 12 ? c.year + 1 : c.year, next_month = c.month == 12 ? 1 : c.month + 1;
  return static_cast<int>(days_from_civil(next_year, next_month, 1) - days_from_civil(c.year, c.month, 1));
}

const PriceSet* set_of(const PriceSets& sets, std::int64_t utc_ms) {
  if (sets.empty()) return nullptr;
  auto it = sets.begin();
  for (auto next = it + 1; next != sets.end() && next->from_ms <= utc_ms; ++next) it = next;
  return &*it;
}

double component(const PriceSets& sets, std::int64_t utc_ms, std::size_t band) {
  const auto* set = set_of(sets, utc_ms);
  return set ? set->of_band(band) : 0.0;
}
}  // namespace

PriceSets parse_price_sets(std::string_view option, std::string_view text, const std::vector<std::string>& bands,
                           const TimeZone& zone, bool dated_only) {
  const Parser parser{option, bands, zone};
  PriceSets sets;
  text = trim(text);
  if (!dated_only && !text.empty() && !starts_with_date(text)) {
    // One entry valid always: "0.09", "price=0.09" or "ht=0.09 nt=0.05".
    if (text.find(',') != std::string_view::npos)
      parser.refuse(text, "has a comma but no dates; give one entry valid always, or dated entries (a decimal comma is refused)");
    PriceSet set;
    parser.read_prices(text, text, set);
    sets.push_back(std::move(set));
    return sets;
  }
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto part = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : trim(text.substr(comma + 1));
    auto set = parser.dated_set(part);
    if (!sets.empty() && set.from_ms <= sets.back().from_ms)
      parser.refuse(part, "is not after " + sets.back().from_date + "; list the dates in ascending order, each once");
    sets.push_back(std::move(set));
  }
  return sets;
}

std::vector<PriceSet> parse_dated_prices(std::string_view text, bool has_schedule, const TimeZone& zone) {
  const std::vector<std::string> bands = has_schedule ? std::vector<std::string>{"ht", "nt"} : std::vector<std::string>{};
  return parse_price_sets("prices", text, bands, zone, true);
}

std::vector<std::string> Prices::band_names() const {
  if (!bands.empty()) return bands.names();
  if (!schedule.empty()) return {"ht", "nt"};
  return {};
}

std::size_t Prices::band_at(std::int64_t utc_ms, const TimeZone& zone) const {
  if (bands.empty() && schedule.empty()) return 0;
  const auto slot = local_slot(utc_ms, zone, holidays);
  if (!bands.empty()) return bands.band_at(slot);
  return schedule.has(slot.weekday, slot.hour) ? 0 : 1;
}

PriceSet Prices::set_at(std::int64_t utc_ms) const {
  if (const auto* set = set_of(dated, utc_ms)) return *set;
  return PriceSet{{}, 0, single, high, low};
}

double Prices::price_at(std::int64_t utc_ms, const TimeZone& zone) const {
  const auto set = set_at(utc_ms);
  if (!set.band.empty() || !bands.empty()) return set.of_band(band_at(utc_ms, zone));
  if (schedule.empty()) return set.single;
  return band_at(utc_ms, zone) == 0 ? set.high : set.low;
}

Charge Prices::charge(double wh, std::int64_t start_ms, const TimeZone& zone, const PriceTable* dynamic) const {
  Charge c;
  const double kwh = wh / 1000.0;
  c.band = band_at(start_ms, zone);
  const auto spot = dynamic ? dynamic->at(start_ms) : std::nullopt;
  c.dynamic = spot.has_value();
  c.energy = kwh * (spot ? *spot : price_at(start_ms, zone));
  c.grid = kwh * component(grid, start_ms, c.band);
  c.levies = kwh * component(levies, start_ms, c.band);
  c.vat = (c.energy + c.grid + c.levies) * vat_percent / 100.0;
  c.cost = c.energy + c.grid + c.levies + c.vat;
  if (schedule.empty() || !bands.empty()) return c;
  if (c.band == 0) {
    c.high_wh = wh;
    c.high_cost = c.cost;
  } else {
    c.low_wh = wh;
    c.low_cost = c.cost;
  }
  return c;
}

Charge Prices::credit(double wh, std::int64_t start_ms, const TimeZone& zone, const PriceTable* dynamic) const {
  Charge c;
  c.band = band_at(start_ms, zone);
  const auto spot = feed_in_dynamic && dynamic ? dynamic->at(start_ms) : std::nullopt;
  c.dynamic = spot.has_value();
  c.energy = wh / 1000.0 * (spot ? *spot : component(feed_in, start_ms, c.band));
  c.cost = c.energy;
  return c;
}

double Prices::fixed_fee(std::int64_t from_ms, std::int64_t to_ms, const TimeZone& zone) const {
  if (fixed_fee_per_month <= 0 || to_ms <= from_ms) return 0;
  double fee = 0;
  for (auto day = period_start(Period::day, from_ms, zone); day < to_ms;) {
    const auto next = period_next(Period::day, day, zone);
    const auto overlap = std::min(next, to_ms) - std::max(day, from_ms);
    fee += fixed_fee_per_month / days_in_month(day, zone) * static_cast<double>(overlap) / static_cast<double>(next - day);
    day = next;
  }
  return fee;
}

double Prices::yearly_cost_of(double watts, std::int64_t at_ms) const {
  const auto set = set_at(at_ms);
  const double kwh = watts * kHoursPerYear / 1000.0;
  const auto per_kwh = [&](std::size_t band, double energy) {
    return (energy + component(grid, at_ms, band) + component(levies, at_ms, band)) * (1 + vat_percent / 100.0);
  };
  if (!bands.empty()) {
    double sum = 0;
    for (std::size_t b = 0; b < bands.names().size(); ++b)
      sum += bands.hours_per_week(b) / kHoursPerWeek * per_kwh(b, set.of_band(b));
    return kwh * sum;
  }
  if (schedule.empty()) return kwh * per_kwh(0, set.single);
  const double high_share = schedule.high_hours_per_week() / kHoursPerWeek;
  return kwh * (high_share * per_kwh(0, set.high) + (1 - high_share) * per_kwh(1, set.low));
}

}  // namespace meterd::dashboard
