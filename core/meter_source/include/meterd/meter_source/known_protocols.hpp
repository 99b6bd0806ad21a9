#pragma once
// The meter protocols meterd has a source plugin for, with the line settings each is sent at.
// Every plugin's `serial = auto` also tries the other protocols' settings, so that a user who
// picked the wrong plugin is told which one the line actually speaks.
#include <span>
#include <string>
#include <vector>

#include "meterd/transport/serial_settings.hpp"

namespace meterd::meter_source {

enum class Protocol { dlms, dsmr, sml };

struct ProtocolInfo {
  Protocol id;
  const char* title;   // for people: "DSMR P1"
  const char* plugin;  // the `plugin = ` value that reads it
  // The presets this protocol is sent at, the usual one first (it is the `serial` default).
  std::vector<transport::SerialSettings> presets;
  // What to check when the line stays silent, for the `no_data` report on a serial line.
  const char* silent_line_hint;
};

const ProtocolInfo& protocol_info(Protocol protocol);
std::span<const Protocol> all_protocols();

// `serial = auto` candidates for a plugin: its own presets in order, then the other
// protocols' presets it does not already have.
std::vector<transport::SerialSettings> auto_candidates(Protocol own);

}  // namespace meterd::meter_source
