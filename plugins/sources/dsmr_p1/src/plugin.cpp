// Plugin entry point of the dsmr_p1 source.
#include "dsmr_p1_source.hpp"

namespace meterd::dsmr_p1 {
namespace {

std::unique_ptr<sdk::Source> make(sdk::SourceContext& ctx) { return std::make_unique<DsmrP1Source>(ctx); }

// The zone is checked with [meterd]; any valid one will do for the rest of the options.
void check_options(const boost::program_options::variables_map& options) { (void)parse_settings(options, "UTC"); }

const sdk::PluginInfo kInfo{sdk::kApiVersion, sdk::Kind::source, "dsmr_p1", "1.0.0",
                            "DSMR P1 telegrams (NL, BE, LU Smarty, AT, HU, Nordics) over serial, TCP or a replayed capture",
                            describe_options, make, nullptr, check_options};

}  // namespace
}  // namespace meterd::dsmr_p1

METERD_PLUGIN(meterd::dsmr_p1::kInfo)
