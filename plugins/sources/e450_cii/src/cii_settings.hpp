#pragma once
// The options of an e450_cii instance: the shared line options plus the DLMS decoder's (keys,
// profile, scaler overrides), parsed and checked once at construction so a typo in the config
// is reported before any port is opened.
#include <boost/program_options.hpp>
#include <string>

#include "meterd/dlms/dlms_stream_decoder.hpp"
#include "meterd/meter_source/line_settings.hpp"

namespace meterd::e450_cii {

using meter_source::TransportKind;

struct CiiSettings : meter_source::LineSettings {
  dlms::DlmsConfig decoder;  // keys, profile, scaler overrides, time zone
};

void describe_options(boost::program_options::options_description& d);

// Throws std::invalid_argument naming the option and what is accepted. `zone_name` is the
// pipeline's [meterd] time_zone, used for meter clocks that state no offset.
CiiSettings parse_settings(const boost::program_options::variables_map& options, const std::string& zone_name);

}  // namespace meterd::e450_cii
