#include "dsmr_p1_source.hpp"

#include "meterd/time_zone.hpp"

namespace meterd::dsmr_p1 {

DsmrP1Source::DsmrP1Source(sdk::SourceContext& ctx)
    : DsmrP1Source(ctx, parse_settings(ctx.options(), meter_source::pipeline_zone(ctx)->name())) {}

DsmrP1Source::DsmrP1Source(sdk::SourceContext& ctx, const P1Settings& settings)
    : MeterSource(ctx, meter_source::Protocol::dsmr, settings,
                  [config = settings.decoder] { return std::make_unique<dsmr::DsmrStreamDecoder>(config); }) {}

}  // namespace meterd::dsmr_p1
