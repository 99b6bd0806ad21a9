// Plugin entry point of the e450_cii source.
#include "e450_cii_source.hpp"

namespace meterd::e450_cii {
namespace {

std::unique_ptr<sdk::Source> make(sdk::SourceContext& ctx) { return std::make_unique<E450CiiSource>(ctx); }

// The zone is checked with [meterd]; any valid one will do for the rest of the options.
void check_options(const boost::program_options::variables_map& options) { (void)parse_settings(options, "UTC"); }

const sdk::PluginInfo kInfo{sdk::kApiVersion, sdk::Kind::source, "e450_cii", "1.0.0",
                            "Swiss CII DLMS/COSEM pushes (L+G E450, E570, E360) over serial, TCP or a replayed capture",
                            describe_e450_cii_options, make, nullptr, check_options};

}  // namespace
}  // namespace meterd::e450_cii

METERD_PLUGIN(meterd::e450_cii::kInfo)
