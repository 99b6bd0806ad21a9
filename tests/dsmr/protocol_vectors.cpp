#include "protocol_vectors.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "meterd/hex.hpp"

namespace meterd::testing {
namespace {

// JSON strings arrive as UTF-8; each code point (all <= U+00FF) stands for one byte.
std::vector<std::uint8_t> latin1_bytes(const std::string& utf8) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<std::uint8_t>(utf8[i]);
    if (c < 0x80) {
      out.push_back(c);
    } else {
      const auto next = static_cast<std::uint8_t>(utf8.at(++i));
      out.push_back(static_cast<std::uint8_t>((c & 0x1F) << 6 | (next & 0x3F)));
    }
  }
  return out;
}

std::string string_or_empty(const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : std::string(); }

ProtocolVector from_json(const nlohmann::json& j) {
  ProtocolVector v;
  v.id = j.at("id").get<std::string>();
  const std::string data = j.at("data").get<std::string>();
  v.data = j.at("encoding") == "hex" ? from_hex(data) : latin1_bytes(data);
  v.encryption_key = string_or_empty(j.at("keys").at("encryption"));
  v.authentication_key = string_or_empty(j.at("keys").at("authentication"));
  const auto& e = j.at("expect");
  v.decodes = e.at("decodes").get<bool>();
  v.meter_id = string_or_empty(e.at("meter_id"));
  if (e.at("time").is_string()) v.time = e.at("time").get<std::string>();
  for (const auto& x : e.at("values")) {
    ExpectedValue ev;
    ev.obis = x.at("obis").get<std::string>();
    if (x.at("value").is_string()) ev.value = x.at("value").get<std::string>();
    else ev.value = x.at("value").get<double>();
    ev.unit = string_or_empty(x.at("unit"));
    if (x.at("raw").is_number()) ev.raw = x.at("raw").get<std::int64_t>();
    if (x.at("scaler").is_number()) ev.scaler = x.at("scaler").get<int>();
    v.values.push_back(std::move(ev));
  }
  return v;
}

}  // namespace

std::string vectors_dir() { return METERD_SHARED_DIR "/vectors"; }

bool vectors_available() { return std::filesystem::is_directory(vectors_dir()); }

std::vector<ProtocolVector> load_vectors(const std::string& protocol) {
  std::vector<ProtocolVector> out;
  if (!vectors_available()) return out;
  for (const auto& entry : std::filesystem::directory_iterator(vectors_dir())) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    const auto j = nlohmann::json::parse(in);
    if (j.at("protocol") == protocol) out.push_back(from_json(j));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

std::string wall_clock(const MeterTime& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour, t.minute, t.second);
  return buf;
}

}  // namespace meterd::testing
