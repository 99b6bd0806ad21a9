#include "cii_settings.hpp"

#include <cmath>
#include <stdexcept>

#include "meterd/dlms/dlms_keys.hpp"

namespace po = boost::program_options;

namespace meterd::e450_cii {
namespace {

std::chrono::milliseconds seconds_option(const po::variables_map& o, const char* name, double minimum) {
  const double s = o[name].as<double>();
  if (!(s >= minimum) || std::isinf(s))
    throw std::invalid_argument("option '" + std::string(name) + "' must be at least " + std::to_string(minimum) +
                                " seconds");
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(s * 1000)));
}

dlms::AesKey key_option(const po::variables_map& o, const char* name) {
  try {
    return dlms::parse_aes_key(o[name].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("option '" + std::string(name) + "': " + e.what());
  }
}

// "1-0:32.7.0=-1" -> ("1-0:32.7.0", -1).
std::pair<std::string, int> parse_scaler(const std::string& text) {
  const auto eq = text.find('=');
  const auto bad = [&] {
    return std::invalid_argument("option 'scaler': '" + text + "' is not OBIS=SCALER, e.g. 1-0:32.7.0=-1");
  };
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) throw bad();
  std::size_t used = 0;
  int scaler = 0;
  try {
    scaler = std::stoi(text.substr(eq + 1), &used);
  } catch (const std::exception&) {
    throw bad();
  }
  if (used != text.size() - eq - 1 || scaler < -9 || scaler > 9) throw bad();
  return {text.substr(0, eq), scaler};
}

}  // namespace

void describe_options(po::options_description& d) {
  d.add_options()
    ("transport", po::value<std::string>()->default_value("serial"), "serial, tcp or replay")
    ("device", po::value<std::string>()->default_value("/dev/ttyUSB0"),
     "serial: the M-Bus slave adapter, preferably its /dev/serial/by-id/... name")
    ("serial", po::value<std::string>()->default_value("2400 8E1"),
     "serial: line settings '2400 8E1', '9600 8N1', '115200 8N1', or 'auto' to try them in that order and lock "
     "onto the first that yields valid frames")
    ("auto_window", po::value<double>()->default_value(12.0),
     "serial auto: seconds to listen on each preset before trying the next (at least two push periods)")
    ("address", po::value<std::string>()->default_value(""), "tcp: host:port of ser2net or an M-Bus/serial gateway")
    ("connect_timeout", po::value<double>()->default_value(5.0), "tcp: seconds to wait for a connection")
    ("file", po::value<std::string>()->default_value(""), "replay: capture file (raw bytes or hex text)")
    ("replay_format", po::value<std::string>()->default_value("auto"), "replay: raw, hex or auto")
    ("replay_rate", po::value<double>()->default_value(0.0),
     "replay: bytes per second (218 is real time at 2400 8E1); 0 = as fast as possible")
    ("record", po::value<std::string>()->default_value(""), "append every received byte to this file (for bug reports)")
    ("key", po::value<std::string>()->default_value(""),
     "encryption key (EK/GUEK) from the grid operator, 32 hex digits; empty = unencrypted meter")
    ("auth_key", po::value<std::string>()->default_value(""),
     "authentication key (AK), 32 hex digits; when set, GCM tags are verified")
    ("require_auth", po::value<bool>()->default_value(false),
     "reject messages whose authentication tag is missing or cannot be checked (needs auth_key)")
    ("profile", po::value<std::string>()->default_value("auto"),
     "meter profile for implied scalers and layouts (auto, or a name listed by `meterd decode --help`)")
    ("scaler", po::value<std::vector<std::string>>()->composing(),
     "override an implied scaler, OBIS=SCALER, e.g. 1-0:32.7.0=-1 (repeatable)")
    ("meter_id", po::value<std::string>()->default_value(""),
     "meter id for pushes that carry none (many Swiss pushes); default: the instance name")
    ("silence_timeout", po::value<double>()->default_value(60.0),
     "report 'no_data' after this many seconds without a single byte, and again every period; 0 = never")
    ("reconnect_initial", po::value<double>()->default_value(1.0), "seconds before the first reconnect attempt")
    ("reconnect_max", po::value<double>()->default_value(60.0), "ceiling of the doubling reconnect delay, seconds")
    ("diagnostic_interval", po::value<double>()->default_value(60.0),
     "rate limit: per diagnostic code, at most diagnostic_burst reports per this many seconds")
    ("diagnostic_burst", po::value<unsigned>()->default_value(5), "rate limit: reports per code per interval");
}

CiiSettings parse_settings(const po::variables_map& o, const std::string& zone_name) {
  CiiSettings s;
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
      s.presets = transport::cii_auto_presets();
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

  if (!o["key"].as<std::string>().empty()) s.decoder.encryption_key = key_option(o, "key");
  if (!o["auth_key"].as<std::string>().empty()) s.decoder.authentication_key = key_option(o, "auth_key");
  s.decoder.require_authentication = o["require_auth"].as<bool>();
  if (s.decoder.require_authentication && !s.decoder.authentication_key)
    throw std::invalid_argument("option 'require_auth' needs 'auth_key' (the authentication key from the grid operator)");
  s.decoder.profile = o["profile"].as<std::string>();
  if (o.count("scaler"))
    for (const auto& item : o["scaler"].as<std::vector<std::string>>()) {
      auto [obis, scaler] = parse_scaler(item);
      s.decoder.scaler_overrides[obis] = scaler;
    }
  s.decoder.time_zone = zone_name;
  // Builds a decoder once so an unknown profile or a malformed override fails here, naming it.
  try {
    dlms::DlmsStreamDecoder probe(s.decoder);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("options 'profile'/'scaler': ") + e.what());
  }

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

}  // namespace meterd::e450_cii
