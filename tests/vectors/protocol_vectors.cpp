#include "protocol_vectors.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

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
std::string project_vectors_dir() { return METERD_PROJECT_VECTORS_DIR; }

bool vectors_available() { return std::filesystem::is_directory(vectors_dir()); }

std::vector<nlohmann::json> vector_documents(const std::string& protocol) {
  std::vector<nlohmann::json> out;
  std::vector<std::filesystem::path> files;
  for (const std::string& dir : {vectors_dir(), project_vectors_dir()}) {
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
  for (const auto& f : files) {
    std::ifstream in(f);
    auto j = nlohmann::json::parse(in);
    if (j.at("protocol") == protocol) out.push_back(std::move(j));
  }
  return out;
}

std::vector<ProtocolVector> load_vectors(const std::string& protocol) {
  std::vector<ProtocolVector> out;
  for (const auto& j : vector_documents(protocol)) out.push_back(from_json(j));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

const DecodedValue* find_value(const DecodedMessage& m, const std::string& obis) {
  for (const auto& v : m.values)
    if (v.obis == obis) return &v;
  return nullptr;
}

void expect_value(const DecodedMessage& m, const ExpectedValue& e) {
  SCOPED_TRACE(e.obis);
  const DecodedValue* v = find_value(m, e.obis);
  ASSERT_NE(v, nullptr) << "value missing";
  EXPECT_EQ(v->unit, e.unit);
  if (const double* want = std::get_if<double>(&e.value)) {
    const double* got = std::get_if<double>(&v->value);
    ASSERT_NE(got, nullptr) << "expected a number";
    EXPECT_NEAR(*got, *want, 1e-9 * std::max(1.0, std::fabs(*want)));
  } else {
    const std::string* got = std::get_if<std::string>(&v->value);
    ASSERT_NE(got, nullptr) << "expected text";
    EXPECT_EQ(*got, std::get<std::string>(e.value));
  }
  if (e.raw) {
    EXPECT_EQ(v->raw, e.raw);
  }
  if (e.scaler) {
    EXPECT_EQ(v->scaler, e.scaler);
  }
}

std::string wall_clock(const MeterTime& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour, t.minute, t.second);
  return buf;
}

std::string test_name_of(const ProtocolVector& v) {
  std::string name = v.id;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

}  // namespace meterd::testing
