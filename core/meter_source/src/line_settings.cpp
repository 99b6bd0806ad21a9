#include "meterd/meter_source/line_settings.hpp"

#include <cmath>
#include <stdexcept>

namespace po = boost::program_options;

namespace meterd::meter_source {
namespace {

std::string preset_names(const std::vector<transport::SerialSettings>& presets) {
  std::string out;
  for (const auto& p : presets) out += (out.empty() ? "'" : ", '") + p.name() + "'";
  return out;
}

// Bytes per second at a preset: start bit, data bits, parity bit, stop bits per byte.
unsigned bytes_per_second(const transport::SerialSettings& s) {
  const unsigned bits = 1 + static_cast<unsigned>(s.data_bits) + (s.parity == transport::Parity::none ? 0 : 1) +
                        static_cast<unsigned>(s.stop_bits);
  return s.baud / bits;
}

}  // namespace

std::chrono::milliseconds seconds_option(const po::variables_map& o, const char* name, double minimum) {
  const double s = o[name].as<double>();
  if (!(s >= minimum) || std::isinf(s))
    throw std::invalid_argument("option '" + std::string(name) + "' must be at least " + std::to_string(minimum) +
                                " seconds");
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(s * 1000)));
}

void describe_line_options(po::options_description& d, Protocol own) {
  const ProtocolInfo& info = protocol_info(own);
  const auto& usual = info.presets.front();
  // Help texts are built once per plugin load; boost keeps its own copies.
  const std::string serial_help = "serial: line settings " + preset_names(info.presets) +
                                  " (any 'BAUD 8N1'-style form is accepted), or 'auto' to try " +
                                  preset_names(auto_candidates(own)) +
                                  " in that order and lock onto the first that yields valid frames";
  const std::string rate_help = "replay: bytes per second (" + std::to_string(bytes_per_second(usual)) +
                                " is real time at " + usual.name() + "); 0 = as fast as possible";
  d.add_options()
    ("transport", po::value<std::string>()->default_value("serial"), "serial, tcp or replay")
    ("device", po::value<std::string>()->default_value("/dev/ttyUSB0"),
     "serial: the adapter, preferably its /dev/serial/by-id/... name")
    ("serial", po::value<std::string>()->default_value(usual.name()), serial_help.c_str())
    ("auto_window", po::value<double>()->default_value(12.0),
     "serial auto: seconds to listen on each preset before trying the next (at least two message periods)")
    ("address", po::value<std::string>()->default_value(""), "tcp: host:port of ser2net or a serial gateway")
    ("connect_timeout", po::value<double>()->default_value(5.0), "tcp: seconds to wait for a connection")
    ("file", po::value<std::string>()->default_value(""), "replay: capture file (raw bytes or hex text)")
    ("replay_format", po::value<std::string>()->default_value("auto"), "replay: raw, hex or auto")
    ("replay_rate", po::value<double>()->default_value(0.0), rate_help.c_str())
    ("record", po::value<std::string>()->default_value(""), "append every received byte to this file (for bug reports)")
    ("meter_id", po::value<std::string>()->default_value(""),
     "meter id for messages that carry none; default: the instance name")
    ("silence_timeout", po::value<double>()->default_value(60.0),
     "report 'no_data' after this many seconds without a single byte, and again every period; 0 = never")
    ("reconnect_initial", po::value<double>()->default_value(1.0), "seconds before the first reconnect attempt")
    ("reconnect_max", po::value<double>()->default_value(60.0), "ceiling of the doubling reconnect delay, seconds")
    ("diagnostic_interval", po::value<double>()->default_value(60.0),
     "rate limit: per diagnostic code, at most diagnostic_burst reports per this many seconds")
    ("diagnostic_burst", po::value<unsigned>()->default_value(5), "rate limit: reports per code per interval");
}

LineSettings parse_line_settings(const po::variables_map& o, Protocol own) {
  LineSettings s;
  const std::string transport = o["transport"].as<std::string>();
  if (transport == "serial") s.transport = TransportKind::serial;
  else if (transport == "tcp") s.transport = TransportKind::tcp;
  else if (transport == "replay") s.transport = TransportKind::replay;
  else throw std::invalid_argument("option 'transport': '" + transport + "' is not serial, tcp or replay");

  s.device = o["device"].as<std::string>();
  const std::string serial = o["serial"].as<std::string>();
  try {
    if (serial == "auto") {
      s.auto_preset = true;
      s.presets = auto_candidates(own);
    } else {
      s.presets = {transport::parse_serial_settings(serial)};
    }
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("option 'serial': ") + e.what());
  }
  s.auto_window = seconds_option(o, "auto_window", 0.1);
  if (s.transport == TransportKind::serial && s.device.empty())
    throw std::invalid_argument("option 'device' is empty; name the adapter, e.g. /dev/ttyUSB0");

  if (s.transport == TransportKind::tcp) {
    try {
      s.address = transport::parse_host_port(o["address"].as<std::string>());
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("option 'address': ") + e.what());
    }
  }
  s.connect_timeout = seconds_option(o, "connect_timeout", 0.1);

  s.replay_file = o["file"].as<std::string>();
  try {
    s.replay_format = transport::parse_capture_format(o["replay_format"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("option 'replay_format': ") + e.what());
  }
  s.replay_rate = o["replay_rate"].as<double>();
  if (!(s.replay_rate >= 0) || std::isinf(s.replay_rate))
    throw std::invalid_argument("option 'replay_rate' must be 0 (as fast as possible) or bytes per second");
  if (s.transport == TransportKind::replay && s.replay_file.empty())
    throw std::invalid_argument("option 'file' is required with transport = replay");

  s.record_file = o["record"].as<std::string>();
  s.meter_id = o["meter_id"].as<std::string>();
  s.silence_timeout = seconds_option(o, "silence_timeout", 0);
  s.reconnect_initial = seconds_option(o, "reconnect_initial", 0.01);
  s.reconnect_max = seconds_option(o, "reconnect_max", 0.01);
  if (s.reconnect_max < s.reconnect_initial)
    throw std::invalid_argument("option 'reconnect_max' must not be below 'reconnect_initial'");
  s.diagnostic_interval = seconds_option(o, "diagnostic_interval", 0);
  s.diagnostic_burst = o["diagnostic_burst"].as<unsigned>();
  if (s.diagnostic_burst == 0) throw std::invalid_argument("option 'diagnostic_burst' must be at least 1");
  return s;
}

}  // namespace meterd::meter_source
