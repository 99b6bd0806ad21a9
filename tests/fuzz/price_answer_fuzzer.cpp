// fuzz-libs: meterd_price_answer
// Drives the price_feed parsers (a price API's JSON answer, a CSV price file, ISO 8601 times)
// with arbitrary text. They must never throw; an answer they accept holds only finite prices
// within the limit, on the interval grid, in ascending order.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "price_answer.hpp"

using namespace meterd::price_feed;

namespace {
void check(const PriceAnswer& a, const PriceFormat& f) {
  if (!a.ok()) {
    if (!a.prices.empty() || a.problem.empty()) std::abort();
    return;
  }
  for (std::size_t i = 0; i < a.prices.size(); ++i) {
    const auto& p = a.prices[i];
    if (!std::isfinite(p.per_kwh) || std::abs(p.per_kwh) > f.max_abs_per_kwh || p.start_ms % f.interval_ms != 0) std::abort();
    if (i && a.prices[i - 1].start_ms >= p.start_ms) std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  PriceFormat f;
  f.interval_ms = in.ConsumeBool() ? 900'000 : 3'600'000;
  f.time_unit = in.ConsumeBool() ? TimeUnit::iso8601 : TimeUnit::ms;
  if (in.ConsumeBool()) {
    f.unit_field = "unit";
    f.expected_unit = "Eur/MWh";
    f.scale = 0.001;
  }
  const auto text = in.ConsumeRemainingBytesAsString();
  check(parse_price_json(text, f), f);
  check(parse_price_csv(text, f), f);
  (void)parse_iso8601_ms(text);
  return 0;
}
