#pragma once
// The dsmr_p1 source: DSMR P1 telegrams (Netherlands, Belgium, Luxembourg Smarty, Austria,
// Hungary, the Nordics, Switzerland's P1-style meters) over the P1 cable, a TCP bridge or a
// capture replay. The line handling is the shared meter source; this adds the P1 decoder.
#include "dsmr_p1_settings.hpp"
#include "meterd/meter_source/meter_source.hpp"

namespace meterd::dsmr_p1 {

class DsmrP1Source final : public meter_source::MeterSource {
 public:
  // Throws std::invalid_argument for bad options (reported by the core with the section).
  explicit DsmrP1Source(sdk::SourceContext& context);

 private:
  DsmrP1Source(sdk::SourceContext& context, const P1Settings& settings);
};

}  // namespace meterd::dsmr_p1
