#include "sml_source.hpp"

#include "meterd/time_zone.hpp"

namespace meterd::sml_source {

SmlSource::SmlSource(sdk::SourceContext& ctx)
    : SmlSource(ctx, parse_settings(ctx.options(), meter_source::pipeline_zone(ctx)->name())) {}

SmlSource::SmlSource(sdk::SourceContext& ctx, const SmlSettings& settings)
    : MeterSource(ctx, meter_source::Protocol::sml, settings,
                  [config = settings.decoder] { return std::make_unique<sml::SmlStreamDecoder>(config); }) {}

}  // namespace meterd::sml_source
