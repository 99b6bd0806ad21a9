#include "cii_settings.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "meterd/dlms/dlms_keys.hpp"
#include "meterd/dlms/positional_layout.hpp"

namespace po = boost::program_options;

namespace meterd::e450_cii {
namespace {

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

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("option 'layout': cannot open " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `layout` (a file) or `positional` (inline): the same table either way.
void apply_layout_options(const po::variables_map& o, dlms::DlmsConfig& config) {
  const std::string file = o["layout"].as<std::string>(), inline_table = o["positional"].as<std::string>();
  if (!file.empty() && !inline_table.empty())
    throw std::invalid_argument("options 'layout' and 'positional' both give the positional table; keep one");
  if (file.empty() && inline_table.empty()) return;
  try {
    dlms::apply_positional_layout(file.empty() ? inline_table : file_text(file), config);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string(file.empty() ? "option 'positional': " : "option 'layout': ") + e.what());
  }
}

}  // namespace

void describe_options(po::options_description& d) {
  meter_source::describe_line_options(d, meter_source::Protocol::dlms);
  d.add_options()
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
    ("framing", po::value<std::string>()->default_value("auto"),
     "DLMS layer the line carries: auto, hdlc, mbus, llc (gateway that strips HDLC: E6 E7 00 + APDU) or apdu")
    ("layout", po::value<std::string>()->default_value(""),
     "file with the positional table of a list without OBIS codes (see docs/decode-cli.md)")
    ("positional", po::value<std::string>()->default_value(""),
     "the positional table inline, comma-separated, e.g. meter_id, time, 1-0:1.7.0, 1-0:31.7.0 -3");
}

CiiSettings parse_settings(const po::variables_map& o, const std::string& zone_name) {
  CiiSettings s;
  static_cast<meter_source::LineSettings&>(s) = meter_source::parse_line_settings(o, meter_source::Protocol::dlms);

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
  const auto framing = dlms::parse_framing(o["framing"].as<std::string>());
  if (!framing)
    throw std::invalid_argument("option 'framing': '" + o["framing"].as<std::string>() +
                                "' is not one of auto, hdlc, mbus, llc, apdu");
  s.decoder.framing = *framing;
  apply_layout_options(o, s.decoder);
  // Builds a decoder once so an unknown profile or a malformed override fails here, naming it.
  try {
    dlms::DlmsStreamDecoder probe(s.decoder);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("options 'profile'/'scaler': ") + e.what());
  }

  return s;
}

}  // namespace meterd::e450_cii
