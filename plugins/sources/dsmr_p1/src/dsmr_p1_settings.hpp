#pragma once
// The options of a dsmr_p1 instance: the shared line options plus the P1 decoder's (Smarty
// keys, hex-encoded ids), checked once at construction.
#include <boost/program_options.hpp>
#include <string>

#include "meterd/dsmr/dsmr_stream_decoder.hpp"
#include "meterd/meter_source/line_settings.hpp"

namespace meterd::dsmr_p1 {

struct P1Settings : meter_source::LineSettings {
  dsmr::DsmrDecoderConfig decoder;
};

void describe_options(boost::program_options::options_description& d);

// Throws std::invalid_argument naming the option. `zone_name` is the pipeline's [meterd]
// time_zone: P1 timestamps are local wall-clock time with only a summer/winter flag.
P1Settings parse_settings(const boost::program_options::variables_map& options, const std::string& zone_name);

}  // namespace meterd::dsmr_p1
