#include "dsmr_p1_settings.hpp"

#include <stdexcept>

namespace po = boost::program_options;

namespace meterd::dsmr_p1 {

void describe_options(po::options_description& d) {
  meter_source::describe_line_options(d, meter_source::Protocol::dsmr);
  d.add_options()
    ("key", po::value<std::string>()->default_value(""),
     "Luxembourg Smarty: encryption key from the grid operator, 32 hex digits; empty = plain P1 telegrams")
    ("auth_key", po::value<std::string>()->default_value(""),
     "Luxembourg Smarty: authentication key, 32 hex digits; empty = the published Luxembourg value")
    ("hex_decode_ids", po::value<bool>()->default_value(false),
     "show equipment ids and the meter id as the ASCII text they encode instead of the hex digits sent");
}

P1Settings parse_settings(const po::variables_map& o, const std::string& zone_name) {
  P1Settings s;
  static_cast<meter_source::LineSettings&>(s) = meter_source::parse_line_settings(o, meter_source::Protocol::dsmr);
  s.decoder.time_zone = zone_name;
  s.decoder.encryption_key = o["key"].as<std::string>();
  // Empty keeps the decoder's default, the value every Luxembourg operator publishes.
  if (const auto& ak = o["auth_key"].as<std::string>(); !ak.empty()) s.decoder.authentication_key = ak;
  s.decoder.hex_decode_ids = o["hex_decode_ids"].as<bool>();
  // Builds a decoder once so a malformed key fails here, before any port is opened.
  try {
    dsmr::DsmrStreamDecoder probe(s.decoder);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("options 'key'/'auth_key': ") + e.what());
  }
  return s;
}

}  // namespace meterd::dsmr_p1
