#include "e450_cii_source.hpp"

#include "meterd/time_zone.hpp"

namespace meterd::e450_cii {

void describe_e450_cii_options(boost::program_options::options_description& d) { describe_options(d); }

E450CiiSource::E450CiiSource(sdk::SourceContext& ctx)
    : E450CiiSource(ctx, parse_settings(ctx.options(), meter_source::pipeline_zone(ctx)->name())) {}

E450CiiSource::E450CiiSource(sdk::SourceContext& ctx, const CiiSettings& settings)
    : MeterSource(ctx, meter_source::Protocol::dlms, settings,
                  [config = settings.decoder] { return std::make_unique<dlms::DlmsStreamDecoder>(config); }) {}

}  // namespace meterd::e450_cii
