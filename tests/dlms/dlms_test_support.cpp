#include "dlms_test_support.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

#include "meterd/hex.hpp"

namespace dlms_test {
namespace {

std::optional<std::string> opt_string(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<std::string>();
}

Vector parse_vector(const nlohmann::json& j) {
  Vector v;
  v.id = j.at("id").get<std::string>();
  v.meter = j.at("meter").get<std::string>();
  v.framing = j.at("framing").get<std::string>();
  v.data = meterd::from_hex(j.at("data").get<std::string>());
  v.encryption_key = opt_string(j.at("keys").at("encryption"));
  v.authentication_key = opt_string(j.at("keys").at("authentication"));
  const auto& e = j.at("expect");
  v.decodes = e.at("decodes").get<bool>();
  v.meter_id = opt_string(e.at("meter_id"));
  v.time = opt_string(e.at("time"));
  v.strength = e.at("strength").get<std::string>();
  for (const auto& x : e.at("values")) {
    ExpectedValue ev;
    ev.obis = x.at("obis").get<std::string>();
    if (x.at("value").is_string())
      ev.text = x.at("value").get<std::string>();
    else
      ev.number = x.at("value").get<double>();
    ev.unit = opt_string(x.at("unit"));
    if (!x.at("raw").is_null()) ev.raw = x.at("raw").get<std::int64_t>();
    if (!x.at("scaler").is_null()) ev.scaler = x.at("scaler").get<int>();
    v.values.push_back(std::move(ev));
  }
  return v;
}

}  // namespace

std::vector<Vector> load_dlms_vectors() {
  std::vector<Vector> out;
  for (const auto& j : meterd::testing::vector_documents("dlms")) out.push_back(parse_vector(j));
  return out;
}

bool DecoderRun::has(const std::string& code) const { return count(code) > 0; }

std::size_t DecoderRun::count(const std::string& code) const {
  std::size_t n = 0;
  for (const auto& d : diagnostics) n += d.code == code;
  return n;
}

std::string DecoderRun::fingerprint() const {
  std::ostringstream s;
  for (const auto& m : messages) {
    s << meterd::to_json_line(m) << " fc=" << (m.frame_counter ? std::to_string(*m.frame_counter) : "-");
    if (m.time) s << " stated=" << m.time->offset_stated_by_meter;
    for (const auto& v : m.values) s << " " << v.quantity << "/" << (v.raw ? std::to_string(*v.raw) : "-");
    s << "\n";
  }
  for (const auto& d : diagnostics) s << "diag " << d.code << " " << meterd::severity_name(d.severity) << "\n";
  s << "counters " << counters.bytes << " " << counters.frames_ok << " " << counters.frames_bad << " "
    << counters.messages << " " << counters.errors << " " << counters.garbage_bytes << "\n";
  return s.str();
}

DecoderRun run_decoder(const meterd::dlms::DlmsConfig& config, const Bytes& data, const std::vector<std::size_t>& cuts) {
  DecoderRun run;
  meterd::dlms::DlmsStreamDecoder decoder(config);
  decoder.on_message([&](meterd::DecodedMessage&& m) { run.messages.push_back(std::move(m)); });
  decoder.on_diagnostic([&](meterd::DecoderDiagnostic&& d) { run.diagnostics.push_back(std::move(d)); });
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    decoder.feed(std::span<const std::uint8_t>(data).subspan(from, cut - from));
    from = cut;
  }
  decoder.feed(std::span<const std::uint8_t>(data).subspan(from));
  decoder.finish();
  run.counters = decoder.counters();
  return run;
}

DecoderRun run_bytewise(const meterd::dlms::DlmsConfig& config, const Bytes& data) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < data.size(); ++i) cuts.push_back(i);
  return run_decoder(config, data, cuts);
}

meterd::dlms::DlmsConfig config_for(const Vector& v) {
  meterd::dlms::DlmsConfig c;
  if (v.encryption_key) c.encryption_key = meterd::dlms::parse_aes_key(*v.encryption_key);
  if (v.authentication_key) c.authentication_key = meterd::dlms::parse_aes_key(*v.authentication_key);
  return c;
}

double number_of(const meterd::DecodedValue& v) {
  const double* d = std::get_if<double>(&v.value);
  return d ? *d : std::nan("");
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace dlms_test
