#include "meterd/meter_source/known_protocols.hpp"

#include <algorithm>
#include <array>

namespace meterd::meter_source {
namespace {

using transport::parse_serial_settings;

constexpr std::array kAll{Protocol::dlms, Protocol::dsmr, Protocol::sml};

const std::array<ProtocolInfo, 3>& table() {
  // Built on first use: parse_serial_settings allocates, which is not allowed in constant
  // initialisation and should not run before main in a plugin that may never be used.
  static const std::array<ProtocolInfo, 3> infos{
      ProtocolInfo{Protocol::dlms, "Swiss CII DLMS/COSEM", "e450_cii", transport::cii_auto_presets(),
                   "check that the adapter is an M-Bus slave on the meter's CII terminals and that the grid "
                   "operator has enabled the interface"},
      // DSMR 4 and 5 send 115200 8N1; DSMR 2.2 and 3 meters still in use send 9600 7E1.
      ProtocolInfo{Protocol::dsmr, "DSMR P1", "dsmr_p1",
                   {parse_serial_settings("115200 8N1"), parse_serial_settings("9600 7E1")},
                   "check the RJ12 cable (it must hold the Data Request line high, pin 2) and that the P1 port "
                   "is enabled; some operators enable it only on request"},
      // Optical heads on German eHZ/EDL meters: the push is 9600 8N1 everywhere.
      ProtocolInfo{Protocol::sml, "SML", "sml", {parse_serial_settings("9600 8N1")},
                   "check that the optical head sits centred on the meter's infrared interface (the one that "
                   "blinks) and faces it the right way up"},
  };
  return infos;
}

}  // namespace

const ProtocolInfo& protocol_info(Protocol protocol) { return table()[static_cast<std::size_t>(protocol)]; }

std::span<const Protocol> all_protocols() { return kAll; }

std::vector<transport::SerialSettings> auto_candidates(Protocol own) {
  std::vector<transport::SerialSettings> out = protocol_info(own).presets;
  for (Protocol other : kAll) {
    if (other == own) continue;
    for (const auto& preset : protocol_info(other).presets)
      if (std::find(out.begin(), out.end(), preset) == out.end()) out.push_back(preset);
  }
  return out;
}

}  // namespace meterd::meter_source
