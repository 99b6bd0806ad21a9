// Runs the built `meterd decode` the way users and scripts do and checks the contract of
// docs/decode-cli.md: JSON lines on stdout matching each shared vector, exit 0/1/2, --hex,
// standard input and protocol sniffing.
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "meterd/dlms/e450_push_encoder.hpp"
#include "meterd/dlms/link_frame_scanner.hpp"
#include "meterd/hex.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kMeterd = METERD_BUILD_DIR "/meterd";
const fs::path kVectors = METERD_SHARED_DIR "/vectors";
const fs::path kProjectVectors = METERD_SOURCE_DIR "/tests/vectors/data";

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
  for (const fs::path& dir : {kVectors, kProjectVectors})
    for (const auto& entry : fs::directory_iterator(dir)) {
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
  const DecodeRun no_hex = decode({"--hex", dir.write("words", "no hex here\njust words\n").string()});
  EXPECT_EQ(no_hex.status, 1);
  EXPECT_NE(no_hex.err.find("no hex found"), std::string::npos) << no_hex.err;
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
           {"--framing", "ppp", f.string()},
           {"--framing", "llc", "--protocol", "dsmr", f.string()},
           {"--explain=xml", f.string()},
           {"--layout", (dir.path() / "missing.layout").string(), f.string()},
           {"--layout", dir.write("bad.layout", "1-0:1.7.0\nvoltage\n").string(), f.string()},
           {"--layout", dir.write("bad-scaler.layout", "1-0:32.7.0 x10\n").string(), f.string()},
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

namespace {

const json* vector_by_id(const std::vector<json>& vectors, const std::string& id) {
  for (const auto& v : vectors)
    if (v.at("id") == id) return &v;
  return nullptr;
}

std::string spaced(const std::vector<std::uint8_t>& bytes, std::size_t from, std::size_t to, const char* sep,
                   bool lower = false) {
  static constexpr char upper_digits[] = "0123456789ABCDEF", lower_digits[] = "0123456789abcdef";
  const char* d = lower ? lower_digits : upper_digits;
  std::string s;
  for (std::size_t i = from; i < to && i < bytes.size(); ++i) {
    if (i > from) s += sep;
    s += d[bytes[i] >> 4];
    s += d[bytes[i] & 15];
  }
  return s;
}

// The bytes as each tool prints them, 16 per line.
std::string in_style(const std::string& style, const std::vector<std::uint8_t>& b) {
  std::string out;
  char offset[24];
  for (std::size_t at = 0; at < b.size(); at += 16) {
    const std::size_t end = std::min(b.size(), at + 16);
    std::snprintf(offset, sizeof offset, "%08zx", at);
    if (style == "spaces") out += spaced(b, at, end, " ") + "\n";
    if (style == "zero_x") out += "0x" + spaced(b, at, end, ", 0x") + ",\n";
    if (style == "colons") out += spaced(b, at, end, ":") + "\n";
    if (style == "dashes") out += spaced(b, at, end, "-") + "\n";
    if (style == "ams_reader") out += (at == 0 ? "[DEBUG] Frame dump (" + std::to_string(b.size()) + " bytes):\n" : "") + spaced(b, at, end, " ") + " \n";
    if (style == "esphome") out += "[10:42:17][D][uart_debug:114]: <<< " + spaced(b, at, end, ":") + "\n";
    if (style == "gurux") out += "RX:\t10:42:17\t" + spaced(b, at, end, " ") + "\n";
    if (style == "xxd") {
      std::string hex;
      for (std::size_t i = at; i < end; i += 2) hex += (i > at ? " " : "") + spaced(b, i, std::min(end, i + 2), "", true);
      hex.resize(40, ' ');
      out += std::string(offset) + ": " + hex + " " + std::string(end - at, '.') + "\n";
    }
    if (style == "hexdump") {
      std::string hex = spaced(b, at, std::min(end, at + 8), " ", true);
      if (end > at + 8) hex += "  " + spaced(b, at + 8, end, " ", true);
      hex.resize(49, ' ');
      out += std::string(offset) + "  " + hex + " |" + std::string(end - at, '.') + "|\n";
    }
  }
  if (style == "hexdump") {
    std::snprintf(offset, sizeof offset, "%08zx", b.size());
    out += std::string(offset) + "\n";
  }
  return out;
}

class LogStyle : public ::testing::TestWithParam<std::string> {};

}  // namespace

// Hex copied from another tool's log decodes like the binary capture, with --hex and without.
TEST_P(LogStyle, DecodesLikeTheBinaryCapture) {
  const auto vectors = vectors_of("dlms");
  const json* v = vector_by_id(vectors, "SCS-E450-06");
  if (!v) GTEST_SKIP() << "vector SCS-E450-06 missing";
  const auto bytes = bytes_of(*v);
  Scratch dir;
  const DecodeRun binary = decode({dir.write("capture.bin", std::string(bytes.begin(), bytes.end())).string()});
  ASSERT_EQ(binary.status, 0) << binary.err;
  const fs::path text = dir.write("capture.log", in_style(GetParam(), bytes));
  const DecodeRun forced = decode({"--hex", text.string()});
  ASSERT_EQ(forced.status, 0) << forced.err << "\n" << slurp(text);
  EXPECT_EQ(forced.out, binary.out);
  const DecodeRun detected = decode({text.string()});
  ASSERT_EQ(detected.status, 0) << detected.err;
  EXPECT_EQ(detected.out, binary.out);
  EXPECT_NE(detected.err.find("hex text"), std::string::npos) << detected.err;
}

INSTANTIATE_TEST_SUITE_P(Tools, LogStyle,
                         ::testing::Values("spaces", "zero_x", "colons", "dashes", "ams_reader", "esphome", "gurux", "xxd",
                                           "hexdump"));

// An information field (LLC + APDU) and the bare APDU, auto-detected and forced.
TEST(DecodeCli, ReadsInformationFieldsAndBareApdus) {
  const auto vectors = vectors_of("dlms");
  const json* v = vector_by_id(vectors, "AMSHAN-KFM-NO-L2");
  ASSERT_NE(v, nullptr);
  const auto llc = bytes_of(*v);
  const std::vector<std::uint8_t> apdu(llc.begin() + 3, llc.end());
  Scratch dir;
  const fs::path llc_file = dir.write("llc.hex", meterd::to_hex(llc));
  const fs::path apdu_file = dir.write("apdu.hex", meterd::to_hex(apdu));
  for (const auto& args : std::vector<std::vector<std::string>>{
           {llc_file.string()}, {"--framing", "llc", llc_file.string()}, {apdu_file.string()},
           {"--framing", "apdu", "--hex", apdu_file.string()}}) {
    const DecodeRun r = decode(args);
    ASSERT_EQ(r.status, 0) << args.front() << ": " << r.err;
    const auto lines = r.lines();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].at("meter_id"), "6970631402614476");
    EXPECT_NEAR(find_value(lines, "1-0:31.7.0")->at("value").get<double>(), 33.813, 1e-9);
    if (args.size() == 1) {
      EXPECT_NE(r.err.find("framing_detected"), std::string::npos) << r.err;
    }
  }
  // Forced to the wrong layer: nothing, and the hint names --framing.
  const DecodeRun wrong = decode({"--framing", "hdlc", llc_file.string()});
  EXPECT_EQ(wrong.status, 1);
  EXPECT_NE(wrong.err.find("no_valid_frame"), std::string::npos) << wrong.err;
}

// --explain names every layer down to the OBIS mapping; --explain=json nests the same.
TEST(DecodeCli, ExplainShowsEveryLayer) {
  const auto vectors = vectors_of("dlms");
  const json* v = vector_by_id(vectors, "SCS-E450-04");
  if (!v) GTEST_SKIP() << "vector SCS-E450-04 missing";
  const auto bytes = bytes_of(*v);
  Scratch dir;
  const fs::path f = dir.write("e450.bin", std::string(bytes.begin(), bytes.end()));
  auto args = key_args(*v);
  args.push_back("--explain");
  args.push_back(f.string());
  const DecodeRun text = decode(args);
  ASSERT_EQ(text.status, 0) << text.err;
  for (const char* expected : {"HDLC frame", "destination address", "source address", "LLC header",
                               "general-block-transfer", "block number 1", "general-glo-ciphering", "system title",
                               "frame counter", "decrypted (AES-128-GCM)", "data-notification", "A-XDR structure",
                               "A-XDR octet-string", "OBIS mapping", "layout", "1-0:1.8.0", "reading"})
    EXPECT_NE(text.out.find(expected), std::string::npos) << expected << "\n" << text.out;

  args[args.size() - 2] = "--explain=json";
  const DecodeRun tree = decode(args);
  ASSERT_EQ(tree.status, 0) << tree.err;
  const auto frames = tree.lines();
  ASSERT_FALSE(frames.empty());
  for (const auto& frame : frames) EXPECT_EQ(frame.at("layer"), "HDLC frame");
  // The first frame carries the LLC header; the last completes the message: its block, and
  // below it the decrypted push.
  const json& last = frames.back();
  ASSERT_TRUE(last.contains("children"));
  const std::string dump = last.dump();
  EXPECT_NE(frames.front().dump().find("\"LLC header\""), std::string::npos);
  for (const char* expected : {"\"general-block-transfer\"", "\"general-glo-ciphering\"",
                               "\"data-notification\"", "\"OBIS mapping\"", "\"reading\""})
    EXPECT_NE(dump.find(expected), std::string::npos) << expected;

  // Without the key the tree stops at the security header and says why.
  const DecodeRun stopped = decode({"--explain", f.string()});
  EXPECT_EQ(stopped.status, 1);
  EXPECT_NE(stopped.out.find("general-glo-ciphering"), std::string::npos) << stopped.out;
  EXPECT_NE(stopped.out.find("encrypted_no_key"), std::string::npos) << stopped.out;
  EXPECT_EQ(stopped.out.find("OBIS mapping"), std::string::npos) << stopped.out;
}

// A list no built-in layout knows: unsupported without a table, mapped with --layout.
TEST(DecodeCli, LayoutFileMapsAListWithoutObisCodes) {
  // LLC + data-notification {double-long-unsigned 100, long-unsigned 230, octet-string "ABCD"}.
  const std::string hex = "E6E7000F0000000100020306000000641200E6090441424344";
  Scratch dir;
  const fs::path f = dir.write("list.hex", hex);
  const DecodeRun unknown = decode({f.string()});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("unsupported_layout"), std::string::npos) << unknown.err;
  const fs::path layout = dir.write("my-meter.layout", "# my meter's list\n1-0:1.7.0\n1-0:32.7.0 -1   # decivolts\nmeter_id\n");
  const DecodeRun mapped = decode({"--layout", layout.string(), f.string()});
  ASSERT_EQ(mapped.status, 0) << mapped.err;
  const auto lines = mapped.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("meter_id"), "ABCD");
  EXPECT_EQ(find_value(lines, "1-0:1.7.0")->at("value"), 100);
  EXPECT_NEAR(find_value(lines, "1-0:32.7.0")->at("value").get<double>(), 23.0, 1e-9);
  // A table for another list length is not forced onto this one.
  const DecodeRun other = decode({"--layout", dir.write("two.layout", "1-0:1.7.0, 1-0:2.7.0").string(), f.string()});
  EXPECT_EQ(other.status, 1);
}

// A bare general-glo-ciphering envelope is a DLMS push or a Smarty telegram; the key tells.
TEST(DecodeCli, BareEnvelopeIsToldApartByItsKey) {
  const auto dlms_vectors = vectors_of("dlms");
  const auto dsmr_vectors = vectors_of("dsmr");
  const json* push = vector_by_id(dlms_vectors, "AMS-LG501-1");
  const json* smarty = vector_by_id(dsmr_vectors, "DP-SAG-T210DR-ENC");
  if (!push || !smarty) GTEST_SKIP() << "vectors AMS-LG501-1 / DP-SAG-T210DR-ENC missing";
  meterd::dlms::LinkFrameScanner scanner;
  scanner.append(bytes_of(*push));
  const auto frame = scanner.next(true);
  ASSERT_TRUE(frame && frame->kind == meterd::dlms::LinkFrameScanner::Kind::hdlc);
  const std::vector<std::uint8_t> apdu(frame->hdlc.info.begin() + 3, frame->hdlc.info.end());
  ASSERT_EQ(apdu.front(), 0xDB);
  const auto smarty_bytes = bytes_of(*smarty);
  Scratch dir;
  const DecodeRun dlms = decode([&] { auto a = key_args(*push); a.push_back(dir.write("push.bin", std::string(apdu.begin(), apdu.end())).string()); return a; }());
  ASSERT_EQ(dlms.status, 0) << dlms.err;
  EXPECT_EQ(dlms.lines().front().at("protocol"), "dlms");
  const DecodeRun dsmr = decode([&] { auto a = key_args(*smarty); a.push_back(dir.write("smarty.bin", std::string(smarty_bytes.begin(), smarty_bytes.end())).string()); return a; }());
  ASSERT_EQ(dsmr.status, 0) << dsmr.err;
  EXPECT_EQ(dsmr.lines().front().at("protocol"), "dsmr");
  // Without a key nothing decodes, and the note names the ambiguity.
  const DecodeRun unknown = decode({dir.path().string() + "/push.bin"});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("Smarty"), std::string::npos) << unknown.err;
}
