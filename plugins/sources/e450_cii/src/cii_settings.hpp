#pragma once
// The options of an e450_cii instance, parsed and checked once at construction so a typo in
// the config is reported before any port is opened.
#include <boost/program_options.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "meterd/dlms/dlms_stream_decoder.hpp"
#include "meterd/transport/capture_replay.hpp"
#include "meterd/transport/serial_settings.hpp"
#include "meterd/transport/tcp_client.hpp"

namespace meterd::e450_cii {

enum class TransportKind { serial, tcp, replay };

struct CiiSettings {
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
  dlms::DlmsConfig decoder;  // keys, profile, scaler overrides, time zone
  std::chrono::milliseconds silence_timeout{60000};
  std::chrono::milliseconds reconnect_initial{1000}, reconnect_max{60000};
  std::chrono::milliseconds diagnostic_interval{60000};
  unsigned diagnostic_burst = 5;
};

void describe_options(boost::program_options::options_description& d);

// Throws std::invalid_argument naming the option and what is accepted. `zone_name` is the
// pipeline's [meterd] time_zone, used for meter clocks that state no offset.
CiiSettings parse_settings(const boost::program_options::variables_map& options, const std::string& zone_name);

}  // namespace meterd::e450_cii
