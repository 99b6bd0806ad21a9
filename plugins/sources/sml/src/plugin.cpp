// Plugin entry point of the sml source.
#include "sml_source.hpp"

namespace meterd::sml_source {
namespace {

std::unique_ptr<sdk::Source> make(sdk::SourceContext& ctx) { return std::make_unique<SmlSource>(ctx); }

// The zone is checked with [meterd]; any valid one will do for the rest of the options.
void check_options(const boost::program_options::variables_map& options) { (void)parse_settings(options, "UTC"); }

const sdk::PluginInfo kInfo{sdk::kApiVersion, sdk::Kind::source, "sml", "1.0.0",
                            "SML 1.04 pushes (German eHZ/EDL meters, optical head) over serial, TCP or a replayed capture",
                            describe_options, make, nullptr, check_options};

}  // namespace
}  // namespace meterd::sml_source

METERD_PLUGIN(meterd::sml_source::kInfo)
