// fuzz-libs: meterd_dashboard_params
// Drives the dashboard API's parameter parsing (query instants and ranges, JSON share bodies)
// and the calendar (period edges, DST, local dates, year shifts) with arbitrary text and
// numbers. A parse may only refuse with HttpError (a 400, never a 500); an instant the API
// accepts must go through every calendar function without throwing; any instant at all may
// only make the calendar throw std::out_of_range, never overflow or run away.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

#include "calendar.hpp"
#include "meterd/http/http_error.hpp"
#include "meterd/time_zone.hpp"
#include "request_params.hpp"

using namespace meterd::dashboard;

namespace {
const meterd::TimeZone& zone() {
  static const auto z = meterd::TimeZone::load("Europe/Zurich");
  return *z;
}

constexpr Period kPeriods[] = {Period::hour, Period::day, Period::week, Period::month, Period::year};

void check(bool ok) {
  if (!ok) std::abort();
}

// Invariants of one accepted instant: it lies in its period, the period advances, and the
// neighbours the compare endpoint asks for exist.
void walk_accepted(std::int64_t t) {
  for (auto p : kPeriods) {
    const auto start = period_start(p, t, zone());
    const auto next = period_next(p, start, zone());
    check(start <= t && t < next);
    (void)period_start(p, start - 1, zone());
    (void)period_start(p, shift_years(start, -1, zone()), zone());
  }
}

// Anything else may be refused, but only as out of range.
void walk_any(std::int64_t a, std::int64_t b, int years, Period p) {
  try {
    (void)period_start(p, a, zone());
    (void)period_next(p, a, zone());
    (void)shift_years(a, years, zone());
    // Small periods over a short stretch only, so one input stays fast; the edge cap is
    // exercised by month and year walks over any span.
    if (p == Period::month || p == Period::year || (b > a && b - a < 90LL * 86'400'000)) {
      const auto edges = period_edges(p, a, b, zone());
      check(!edges.empty() && edges.size() <= kMaxPeriodEdges + 1);
    }
  } catch (const std::out_of_range&) {
  }
}

void parse_range(FuzzedDataProvider& in) {
  std::map<std::string, std::string> query;
  query["from"] = in.ConsumeRandomLengthString(48);
  query["to"] = in.ConsumeRandomLengthString(48);
  const meterd::http::QueryParams q(query);
  try {
    const auto range = read_range(q, zone(), in.ConsumeIntegralInRange<std::int64_t>(1, 20 * 366 * kDayMs));
    check(range.from >= meterd::http::kMinInstantMs && range.to <= meterd::http::kMaxInstantMs && range.from < range.to);
    walk_accepted(range.from);
    walk_accepted(range.to);
    if (range.to - range.from < 40LL * 86'400'000) (void)period_edges(Period::hour, range.from, range.to, zone());
  } catch (const meterd::http::HttpError&) {
  }
}

void parse_share(FuzzedDataProvider& in) {
  meterd::http::Request request;
  request.headers.emplace_back("content-type", "application/json");
  request.body = in.ConsumeRandomLengthString(512);
  try {
    const auto body = JsonBody::parse(request, "a share");
    const auto share = read_share_spec(body, zone(), 1'700'000'000'000, [](const std::string& m) { return m == "house"; });
    check(share.from_ms < share.to_ms && share.to_ms <= meterd::http::kMaxInstantMs);
    walk_accepted(share.from_ms);
  } catch (const meterd::http::HttpError&) {
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange(0, 2)) {
    case 0: parse_range(in); break;
    case 1: parse_share(in); break;
    default:
      walk_any(in.ConsumeIntegral<std::int64_t>(), in.ConsumeIntegral<std::int64_t>(), in.ConsumeIntegral<int>(),
               kPeriods[in.ConsumeIntegralInRange(0, 4)]);
  }
  return 0;
}
