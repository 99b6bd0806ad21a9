// Runs the built `meterd decode` the way users and scripts do and checks the contract of
// docs/decode-cli.md: JSON lines on stdout matching each shared vector, exit 0/1/2, --hex,
// standard input and protocol sniffing.
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "meterd/dlms/e450_push_encoder.hpp"
#include "meterd/hex.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kMeterd = METERD_BUILD_DIR "/meterd";
const fs::path kVectors = METERD_SHARED_DIR "/vectors";

class Scratch {
 public:
  Scratch() {
    std::random_device r;
    path_ = fs::temp_directory_path() / ("meterd-cli-" + std::to_string(r()) + std::to_string(r()));
    fs::create_directories(path_);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name, std::ios::binary) << content;
    return path_ / name;
  }

 private:
  fs::path path_;
};

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct DecodeRun {
  int status = -1;
  std::string out, err;
  std::vector<json> lines() const {
    std::vector<json> v;
    std::istringstream s(out);
    for (std::string line; std::getline(s, line);) v.push_back(json::parse(line));
    return v;
  }
};

// Runs `meterd decode ARGS`, with `stdin_file` as standard input when given.
DecodeRun decode(const std::vector<std::string>& args, const fs::path& stdin_file = "/dev/null") {
  Scratch io;
  std::string cmd = quote(kMeterd.string()) + " decode";
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " < " + quote(stdin_file.string()) + " > " + quote((io.path() / "out").string()) + " 2> " +
         quote((io.path() / "err").string());
  const int rc = std::system(cmd.c_str());
  DecodeRun r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(io.path() / "out");
  r.err = slurp(io.path() / "err");
  return r;
}

std::vector<std::uint8_t> bytes_of(const json& v) {
  const std::string data = v.at("data").get<std::string>();
  if (v.at("encoding") == "hex") return meterd::from_hex(data);
  // Text vectors: each code point is one byte (Latin-1).
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < data.size();) {
    const unsigned char c = static_cast<unsigned char>(data[i]);
    if (c < 0x80) { out.push_back(c); i += 1; }
    else { out.push_back(static_cast<std::uint8_t>(((c & 0x1F) << 6) | (static_cast<unsigned char>(data[i + 1]) & 0x3F))); i += 2; }
  }
  return out;
}

std::vector<json> vectors_of(const std::string& protocol) {
  // Without the shared folder the callers skip with a message.
  if (!fs::is_directory(kVectors)) return {};
  std::vector<json> v;
  for (const auto& entry : fs::directory_iterator(kVectors)) {
    if (entry.path().extension() != ".json") continue;
    json j = json::parse(slurp(entry.path()));
    if (j.value("protocol", "") == protocol) v.push_back(std::move(j));
  }
  std::sort(v.begin(), v.end(), [](const json& a, const json& b) { return a["id"] < b["id"]; });
  return v;
}

std::vector<std::string> key_args(const json& v) {
  std::vector<std::string> args;
  const json& keys = v.at("keys");
  if (keys.contains("encryption") && keys["encryption"].is_string())
    args = {"--key", keys["encryption"].get<std::string>()};
  if (keys.contains("authentication") && keys["authentication"].is_string()) {
    args.push_back("--auth-key");
    args.push_back(keys["authentication"].get<std::string>());
  }
  return args;
}

const json* find_value(const std::vector<json>& messages, const std::string& obis) {
  for (const auto& m : messages)
    for (const auto& v : m.at("values"))
      if (v.at("obis") == obis) return &v;
  return nullptr;
}

}  // namespace

TEST(DecodeCli, EveryDlmsVectorDecodesToItsExpectedValues) {
  const auto vectors = vectors_of("dlms");
  if (vectors.empty()) GTEST_SKIP() << "no shared vectors in " << kVectors;
  Scratch dir;
  int positive = 0;
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.at("id").get<std::string>());
    const auto bytes = bytes_of(v);
    const fs::path file = dir.write(v.at("id").get<std::string>() + ".bin", std::string(bytes.begin(), bytes.end()));
    const DecodeRun r = decode([&] { auto a = key_args(v); a.push_back(file.string()); return a; }());
    const json& expect = v.at("expect");
    const std::string strength = expect.at("strength");
    if (!expect.at("decodes").get<bool>() || strength == "header-only") {
      // Negative vectors and encrypted ones without a published key decode to nothing.
      EXPECT_EQ(r.status, 1) << r.err;
      EXPECT_EQ(r.out, "");
      if (strength == "header-only") {
        EXPECT_NE(r.err.find("encrypted_no_key"), std::string::npos) << r.err;
      }
      continue;
    }
    ASSERT_EQ(r.status, 0) << r.err;
    ++positive;
    const auto messages = r.lines();
    ASSERT_FALSE(messages.empty());
    for (const auto& m : messages) EXPECT_EQ(m.at("protocol"), "dlms");
    if (expect.at("meter_id").is_string()) {
      EXPECT_EQ(messages.front().at("meter_id"), expect.at("meter_id"));
    }
    if (expect.contains("time") && expect.at("time").is_string()) {
      // Expected times without an offset are local wall clock; ours may add the zone's offset.
      const std::string t = messages.front().at("time");
      EXPECT_EQ(t.substr(0, 19), expect.at("time").get<std::string>().substr(0, 19));
    }
    for (const auto& ev : expect.at("values")) {
      const std::string obis = ev.at("obis");
      const json* got = find_value(messages, obis);
      ASSERT_NE(got, nullptr) << obis << "\n" << r.out;
      if (ev.at("value").is_number()) {
        const double want = ev.at("value").get<double>();
        EXPECT_NEAR(got->at("value").get<double>(), want, 1e-6 * std::max(1.0, std::fabs(want))) << obis;
      } else {
        EXPECT_EQ(got->at("value"), ev.at("value")) << obis;
      }
      if (ev.contains("unit") && ev.at("unit").is_string()) {
        EXPECT_EQ(got->at("unit"), ev.at("unit")) << obis;
      }
    }
  }
  EXPECT_GE(positive, 10);
}

TEST(DecodeCli, ReadsHexTextFromStandardInput) {
  const auto vectors = vectors_of("dlms");
  auto it = std::find_if(vectors.begin(), vectors.end(), [](const json& v) { return v["id"] == "SCS-E450-06"; });
  if (it == vectors.end()) GTEST_SKIP() << "vector SCS-E450-06 missing";
  // Wrapped at 32 columns with mixed case and tabs, as pasted from a forum post.
  const std::string hex = (*it)["data"].get<std::string>();
  std::string wrapped;
  for (std::size_t i = 0; i < hex.size(); ++i) {
    wrapped += (i % 7 == 0) ? static_cast<char>(std::tolower(hex[i])) : hex[i];
    if (i % 32 == 31) wrapped += (i % 64 == 63) ? "\n" : " \t";
  }
  Scratch dir;
  const fs::path file = dir.write("capture.hex", wrapped);
  const DecodeRun from_stdin = decode({"--hex"}, file);
  ASSERT_EQ(from_stdin.status, 0) << from_stdin.err;
  const DecodeRun dash = decode({"--hex", "-"}, file);
  EXPECT_EQ(dash.out, from_stdin.out);
  const DecodeRun from_file = decode({"--hex", file.string()});
  EXPECT_EQ(from_file.out, from_stdin.out);
  const auto bytes = meterd::from_hex(hex);
  const fs::path bin = dir.write("capture.bin", std::string(bytes.begin(), bytes.end()));
  const DecodeRun binary = decode({}, bin);
  EXPECT_EQ(binary.out, from_stdin.out);
  EXPECT_EQ(from_stdin.lines().front().at("meter_id"), (*it)["expect"]["meter_id"]);
}

TEST(DecodeCli, NothingDecodedExitsOne) {
  Scratch dir;
  EXPECT_EQ(decode({dir.write("empty", "").string()}).status, 1);
  const DecodeRun garbage = decode({dir.write("garbage", std::string(3000, '\x55')).string()});
  EXPECT_EQ(garbage.status, 1);
  EXPECT_EQ(garbage.out, "");
  EXPECT_NE(garbage.err.find("no_valid_frame"), std::string::npos) << garbage.err;
}

TEST(DecodeCli, UsageErrorsExitTwo) {
  Scratch dir;
  const fs::path f = dir.write("x", "7E");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--key", "0011", f.string()},
           {"--key", "zz112233445566778899AABBCCDDEEFF", f.string()},
           {"--auth-key", "00112233445566778899AABBCCDDEEFF00", f.string()},
           {"--bogus", f.string()},
           {"--protocol", "iec", f.string()},
           {"--profile", "no_such_meter", f.string()},
           {(dir.path() / "missing.bin").string()},
           {dir.path().string()},
           {"--hex", dir.write("nothex", "7E A0 ZZ").string()},
           {f.string(), f.string()},
       }) {
    const DecodeRun r = decode(args);
    EXPECT_EQ(r.status, 2) << args.front() << ": " << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_FALSE(r.err.empty());
  }
  const DecodeRun help = decode({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("--protocol"), std::string::npos);
}

TEST(DecodeCli, KeysAreNeededForEncryptedPushesAndAcceptedWithSeparators) {
  meterd::dlms::E450Readings readings;
  readings.logical_device_name = "LGZ1030000000099";
  readings.clock.year = 2026;
  readings.clock.month = 3;
  readings.clock.day = 1;
  readings.clock.hour = 12;
  readings.clock.minute = readings.clock.second = readings.clock.hundredths = 0;
  readings.active_power_import_w = 1234;
  meterd::dlms::E450EncoderOptions options;
  options.encryption_key = meterd::dlms::parse_aes_key("00112233445566778899AABBCCDDEEFF");
  options.security_control = 0x20;
  meterd::dlms::E450Push push;
  push.frame_counter = 17;
  push.items = meterd::dlms::vse2026_e450_items(readings);
  const auto wire = meterd::dlms::E450PushEncoder(options).encode(push);
  Scratch dir;
  const fs::path f = dir.write("enc.bin", std::string(wire.begin(), wire.end()));
  const DecodeRun without = decode({f.string()});
  EXPECT_EQ(without.status, 1);
  EXPECT_NE(without.err.find("encrypted_no_key"), std::string::npos) << without.err;
  const DecodeRun wrong = decode({"--key", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", f.string()});
  EXPECT_EQ(wrong.status, 1);
  EXPECT_NE(wrong.err.find("wrong_key"), std::string::npos) << wrong.err;
  const DecodeRun right = decode({"--key", "0x00:11:22:33:44:55:66:77-88 99 AA BB CC DD EE FF", "--protocol", "dlms", f.string()});
  ASSERT_EQ(right.status, 0) << right.err;
  const auto lines = right.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("meter_id"), "LGZ1030000000099");
  EXPECT_EQ(*find_value(lines, "1-0:1.7.0"), (json{{"obis", "1-0:1.7.0"}, {"value", 1234}, {"unit", "W"}}));
}

TEST(DecodeCli, AutoPicksDsmrAndSmlByTheirHead) {
  for (const char* protocol : {"dsmr", "sml"}) {
    const auto vectors = vectors_of(protocol);
    if (vectors.empty()) GTEST_SKIP() << "no " << protocol << " vectors";
    Scratch dir;
    int decoded = 0;
    for (const auto& v : vectors) {
      if (!v["expect"]["decodes"].get<bool>() || v["framing"] == "apdu") continue;
      SCOPED_TRACE(v["id"].get<std::string>());
      const auto bytes = bytes_of(v);
      // Leading noise, as when a reader is plugged in mid-telegram.
      std::string content = std::string("\x00\x13\x88", 3) + std::string(bytes.begin(), bytes.end());
      const DecodeRun r = decode([&] { auto a = key_args(v); a.push_back(dir.write("c", content).string()); return a; }());
      ASSERT_EQ(r.status, 0) << r.err;
      const auto lines = r.lines();
      ASSERT_FALSE(lines.empty());
      EXPECT_EQ(lines.front().at("protocol"), protocol);
      ++decoded;
    }
    EXPECT_GT(decoded, 0) << protocol;
  }
}
