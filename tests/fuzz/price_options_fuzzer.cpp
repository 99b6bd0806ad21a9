// fuzz-libs: meterd_dashboard_params
// Drives the dashboard's price options (bands, holidays, dated prices per band and price
// components) with arbitrary text. A parse may only refuse with std::invalid_argument naming
// its option; what it accepts must price any instant without throwing, with a finite price.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "meterd/time_zone.hpp"
#include "price_schedule.hpp"

using namespace meterd::dashboard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto zone = meterd::TimeZone::load("Europe/Zurich");
  FuzzedDataProvider in(data, size);
  Prices p;
  try {
    p.bands = BandSchedule::parse(in.ConsumeRandomLengthString(200));
    p.holidays = Holidays::parse(in.ConsumeRandomLengthString(60), in.ConsumeRandomLengthString(4),
                                 in.ConsumeRandomLengthString(5));
    p.dated = parse_price_sets("prices", in.ConsumeRandomLengthString(200), p.band_names(), *zone, in.ConsumeBool());
    p.grid = parse_price_sets("grid_prices", in.ConsumeRandomLengthString(100), p.band_names(), *zone);
  } catch (const std::invalid_argument& e) {
    if (std::string(e.what()).find("option '") == std::string::npos) std::abort();  // every refusal names its option
    return 0;
  }
  const auto t = in.ConsumeIntegralInRange<std::int64_t>(946'684'800'000, 4'102'444'800'000);  // 2000 to 2100
  const auto c = p.charge(1000, t, *zone);
  if (!std::isfinite(c.cost) || c.band >= std::max<std::size_t>(1, p.band_names().size())) std::abort();
  return 0;
}
