#pragma once
// The options of an sml instance: the shared line options plus the SML decoder's (the DZG
// power quirk), checked once at construction.
#include <boost/program_options.hpp>
#include <string>

#include "meterd/meter_source/line_settings.hpp"
#include "meterd/sml/sml_stream_decoder.hpp"

namespace meterd::sml_source {

struct SmlSettings : meter_source::LineSettings {
  sml::SmlDecoderConfig decoder;
};

void describe_options(boost::program_options::options_description& d);

// Throws std::invalid_argument naming the option. `zone_name` is the pipeline's [meterd] time_zone.
SmlSettings parse_settings(const boost::program_options::variables_map& options, const std::string& zone_name);

}  // namespace meterd::sml_source
