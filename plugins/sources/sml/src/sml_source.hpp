#pragma once
// The sml source: SML 1.04 pushes from German eHZ/EDL meters (EMH, Iskra, DZG, EasyMeter,
// Itron) through an optical head, a TCP bridge or a capture replay. The line handling is the
// shared meter source; this adds the SML decoder.
#include "meterd/meter_source/meter_source.hpp"
#include "sml_settings.hpp"

namespace meterd::sml_source {

class SmlSource final : public meter_source::MeterSource {
 public:
  // Throws std::invalid_argument for bad options (reported by the core with the section).
  explicit SmlSource(sdk::SourceContext& context);

 private:
  SmlSource(sdk::SourceContext& context, const SmlSettings& settings);
};

}  // namespace meterd::sml_source
