#include "sml_settings.hpp"

#include <stdexcept>

namespace po = boost::program_options;

namespace meterd::sml_source {

void describe_options(po::options_description& d) {
  meter_source::describe_line_options(d, meter_source::Protocol::sml);
  d.add_options()
    ("dzg_unsigned_power", po::value<bool>()->default_value(false),
     "DZG DVS74xx quirk: the meter declares power signed but sends it unsigned, so large imports "
     "show as negative; re-read negative power as unsigned. Only for affected meters: it turns genuine "
     "export into wrong import");
}

SmlSettings parse_settings(const po::variables_map& o, const std::string& zone_name) {
  SmlSettings s;
  static_cast<meter_source::LineSettings&>(s) = meter_source::parse_line_settings(o, meter_source::Protocol::sml);
  s.decoder.time_zone = zone_name;
  s.decoder.reinterpret_negative_power_as_unsigned = o["dzg_unsigned_power"].as<bool>();
  // Builds a decoder once so an unusable configuration fails here, before any port is opened.
  try {
    sml::SmlStreamDecoder probe(s.decoder);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("sml decoder: ") + e.what());
  }
  return s;
}

}  // namespace meterd::sml_source
