#pragma once
// The e450_cii source: DLMS/COSEM pushes from a Swiss CII interface (Landis+Gyr E450, E570,
// E360 and relatives) over a serial adapter, a TCP bridge or a capture replay. The line
// handling is the shared meter source; this adds the DLMS options and decoder.
#include "cii_settings.hpp"
#include "meterd/meter_source/meter_source.hpp"

namespace meterd::e450_cii {

// The line's diagnostic codes, under the name the tests and docs have always used.
namespace diag = meter_source::diag;

class E450CiiSource final : public meter_source::MeterSource {
 public:
  // Throws std::invalid_argument for bad options (reported by the core with the section).
  explicit E450CiiSource(sdk::SourceContext& context);

 private:
  E450CiiSource(sdk::SourceContext& context, const CiiSettings& settings);
};

void describe_e450_cii_options(boost::program_options::options_description& d);

}  // namespace meterd::e450_cii
