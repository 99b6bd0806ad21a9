#pragma once
// The options every meter source shares: which transport, its parameters, recording, the
// meter id fallback, silence reports, reconnect pacing and the diagnostic rate limit. Parsed
// and checked once at construction so a typo in the config is reported before any port opens.
#include <boost/program_options.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "meterd/meter_source/known_protocols.hpp"
#include "meterd/transport/capture_replay.hpp"
#include "meterd/transport/serial_settings.hpp"
#include "meterd/transport/tcp_client.hpp"

namespace meterd::meter_source {

enum class TransportKind { serial, tcp, replay };

struct LineSettings {
  TransportKind transport = TransportKind::serial;
  // serial
  std::string device = "/dev/ttyUSB0";
  bool auto_preset = false;
  std::vector<transport::SerialSettings> presets;  // one entry, or the auto candidates in order
  std::chrono::milliseconds auto_window{12000};
  // tcp
  transport::HostPort address;
  std::chrono::milliseconds connect_timeout{5000};
  // replay
  std::string replay_file;
  transport::CaptureFormat replay_format = transport::CaptureFormat::detect;
  double replay_rate = 0;  // bytes per second, 0 = as fast as possible
  // all transports
  std::string record_file;
  std::string meter_id;
  std::chrono::milliseconds silence_timeout{60000};
  std::chrono::milliseconds reconnect_initial{1000}, reconnect_max{60000};
  std::chrono::milliseconds diagnostic_interval{60000};
  unsigned diagnostic_burst = 5;
};

// Adds the shared options; the `serial` default and help name `own`'s usual preset.
void describe_line_options(boost::program_options::options_description& d, Protocol own);

// Throws std::invalid_argument naming the option and what is accepted.
LineSettings parse_line_settings(const boost::program_options::variables_map& options, Protocol own);

// "option 'x' must be at least ..." checked seconds, for the plugins' own duration options.
std::chrono::milliseconds seconds_option(const boost::program_options::variables_map& options, const char* name,
                                         double minimum);

}  // namespace meterd::meter_source
