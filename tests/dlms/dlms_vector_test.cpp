// Every captured DLMS vector in the shared folder: decoded as a whole, then split at every
// position and byte by byte, with identical results.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "dlms_test_support.hpp"
#include "meterd/dlms/bare_units.hpp"
#include "meterd/dlms/diagnostic_codes.hpp"
#include "meterd/dlms/link_frame_scanner.hpp"
#include "meterd/dlms/meter_profiles.hpp"

namespace dlms_test {
namespace {

namespace diag = meterd::dlms::diag;

const std::vector<Vector>& vectors() {
  static const std::vector<Vector> all = load_dlms_vectors();
  return all;
}

std::vector<std::string> vector_ids() {
  std::vector<std::string> ids;
  for (const auto& v : vectors()) ids.push_back(v.id);
  if (ids.empty()) ids.push_back("vectors_missing");
  return ids;
}

const Vector* vector_by_id(const std::string& id) {
  for (const auto& v : vectors())
    if (v.id == id) return &v;
  return nullptr;
}

// Why each negative vector must not decode, as a diagnostic code.
const std::map<std::string, std::string> kRejectReason = {
    {"AMS-LG949-1", diag::incomplete_message},   // block 1 alone: the message never completes
    {"AMS-LG949-2", diag::reassembly_orphan},    // block 2 alone: no first block
    {"SCS-E450-03", diag::reassembly_dropped},   // blocks 1, 2, 2, 4, 3
    {"HASS-KFM-NO-L3-BADFCS", diag::crc_error},  // one FCS byte changed
};

// A negative vector whose link frame itself is damaged: no frame parses, so there is no
// information field or APDU to hand on either.
bool damaged_link_frame(const Vector& v) {
  const auto reason = kRejectReason.find(v.id);
  return !v.decodes && reason != kRejectReason.end() && reason->second == diag::crc_error;
}

void expect_time(const Vector& v, const meterd::DecodedMessage& m) {
  if (!v.time) return;
  ASSERT_TRUE(m.time.has_value()) << "expected time " << *v.time;
  // "YYYY-MM-DDTHH:MM:SS[.ff][+HH:MM]", parsed by hand (std::regex trips GCC 12 warnings under ASan).
  const std::string& x = *v.time;
  ASSERT_GE(x.size(), 19u) << x;
  auto num = [&x](std::size_t pos, std::size_t len) { return std::stoi(x.substr(pos, len)); };
  const auto& t = *m.time;
  EXPECT_EQ(t.year, num(0, 4)) << x;
  EXPECT_EQ(t.month, num(5, 2));
  EXPECT_EQ(t.day, num(8, 2));
  EXPECT_EQ(t.hour, num(11, 2));
  EXPECT_EQ(t.minute, num(14, 2));
  EXPECT_EQ(t.second, num(17, 2));
  std::size_t pos = 19;
  if (pos < x.size() && x[pos] == '.') {
    std::size_t end = pos + 1;
    while (end < x.size() && std::isdigit(static_cast<unsigned char>(x[end]))) ++end;
    std::string frac = x.substr(pos + 1, end - pos - 1);
    frac.resize(3, '0');
    EXPECT_EQ(t.millisecond, std::stoi(frac));
    pos = end;
  }
  if (pos < x.size()) {
    ASSERT_EQ(x.size(), pos + 6) << x;
    const int offset = (x[pos] == '-' ? -1 : 1) * (num(pos + 1, 2) * 60 + num(pos + 4, 2));
    EXPECT_TRUE(t.offset_stated_by_meter) << "offset should come from the frame";
    ASSERT_TRUE(t.utc_offset_minutes.has_value());
    EXPECT_EQ(*t.utc_offset_minutes, offset);
  } else {
    EXPECT_FALSE(t.offset_stated_by_meter) << "the frame states no offset";
    EXPECT_TRUE(t.utc_offset_minutes.has_value()) << "offset should be derived from the configured zone";
  }
}

void expect_values(const Vector& v, const meterd::DecodedMessage& m) {
  for (const auto& ev : v.values) {
    SCOPED_TRACE(ev.obis);
    const meterd::DecodedValue* got = find_value(m, ev.obis);
    ASSERT_NE(got, nullptr) << "missing " << ev.obis;
    if (ev.text) {
      ASSERT_TRUE(std::holds_alternative<std::string>(got->value));
      EXPECT_EQ(std::get<std::string>(got->value), *ev.text);
    } else {
      const double x = number_of(*got);
      EXPECT_NEAR(x, *ev.number, 1e-9 * std::max(1.0, std::fabs(*ev.number)));
    }
    EXPECT_EQ(got->unit, ev.unit.value_or(""));
    if (ev.raw) {
      ASSERT_TRUE(got->raw.has_value());
      EXPECT_EQ(*got->raw, *ev.raw);
    }
    if (ev.scaler) {
      ASSERT_TRUE(got->scaler.has_value());
      EXPECT_EQ(*got->scaler, *ev.scaler);
    }
  }
}

class DlmsVector : public ::testing::TestWithParam<std::string> {
 protected:
  const Vector& vec() {
    const Vector* v = vector_by_id(GetParam());
    if (!v) throw std::runtime_error("no vector");
    return *v;
  }
  void SetUp() override {
    if (!vector_by_id(GetParam())) GTEST_SKIP() << "shared vectors not found in " << vectors_dir();
  }
};

// The vector's content without its link layer, as a gateway or another tool hands it on: the
// information field of every HDLC frame (LLC header + APDU; segments joined) or the M-Bus user
// data after CI and TSAP with an LLC header put in front; `llc` false strips that header too.
Bytes without_link_layer(const Vector& v, bool llc) {
  const Bytes& data = v.data;
  if (v.framing == "llc-apdu") return llc ? data : Bytes(data.begin() + 3, data.end());
  if (v.framing == "apdu") return llc ? concat({Bytes{0xE6, 0xE7, 0x00}, data}) : data;
  meterd::dlms::LinkFrameScanner scanner;
  scanner.append(data);
  Bytes out;
  bool continuation = false;  // inside an HDLC-segmented or M-Bus-segmented APDU
  while (auto e = scanner.next(true)) {
    std::span<const std::uint8_t> part;
    if (e->kind == meterd::dlms::LinkFrameScanner::Kind::hdlc) {
      part = e->hdlc.info;
      if (!continuation && meterd::dlms::starts_with_llc(part) && !llc) part = part.subspan(3);
      continuation = e->hdlc.segmented;
    } else if (e->kind == meterd::dlms::LinkFrameScanner::Kind::mbus) {
      part = e->mbus.data.subspan(2);
      if (!continuation && llc) out.insert(out.end(), std::begin(meterd::dlms::kLlcHeader), std::end(meterd::dlms::kLlcHeader));
      continuation = !e->mbus.final_segment();
    }
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

void expect_vector_result(const Vector& v, const DecoderRun& run) {
  if (damaged_link_frame(v)) {
    EXPECT_EQ(run.counters.frames_ok, 0u);
    EXPECT_GT(run.counters.frames_bad, 0u);
  } else {
    EXPECT_GT(run.counters.frames_ok, 0u) << "framing must parse";
    EXPECT_EQ(run.counters.frames_bad, 0u);
    EXPECT_FALSE(run.has(diag::crc_error));
    EXPECT_FALSE(run.has(diag::no_valid_frame));
  }

  if (!v.decodes) {
    EXPECT_TRUE(run.messages.empty()) << "negative vector must not decode";
    const auto reason = kRejectReason.find(v.id);
    ASSERT_NE(reason, kRejectReason.end()) << "add the expected rejection reason for " << v.id;
    EXPECT_TRUE(run.has(reason->second)) << "expected diagnostic " << reason->second;
    return;
  }
  if (v.strength == "header-only") {
    EXPECT_TRUE(run.messages.empty());
    EXPECT_EQ(run.count(diag::encrypted_no_key), 1u);
    for (const auto& d : run.diagnostics) {
      if (d.code == diag::encrypted_no_key) {
        EXPECT_NE(d.message.find("system title"), std::string::npos);
      }
    }
    return;
  }
  ASSERT_EQ(run.messages.size(), 1u) << "exactly one push per vector";
  EXPECT_FALSE(run.has(diag::wrong_key));
  EXPECT_FALSE(run.has(diag::unsupported_layout));
  const auto& m = run.messages.front();
  EXPECT_EQ(m.protocol, "dlms");
  if (v.meter_id) {
    EXPECT_EQ(m.meter_id, *v.meter_id);
  } else if (!m.meter_id.empty()) {
    // Only the system title may stand in for a missing identity, as FLAG id + serial digits.
    ASSERT_TRUE(m.frame_counter.has_value()) << "identity '" << m.meter_id << "' without any source";
    EXPECT_EQ(m.meter_id.size(), 13u);
  }
  expect_time(v, m);
  expect_values(v, m);
  if (v.encryption_key) {
    EXPECT_TRUE(m.frame_counter.has_value());
  }
  if (v.authentication_key) {
    EXPECT_FALSE(run.has(diag::auth_tag_mismatch)) << "published AK must verify";
  }
}

TEST_P(DlmsVector, DecodesAsExpected) { expect_vector_result(vec(), run_decoder(config_for(vec()), vec().data)); }

// Profiles that only the link layer tells: without the HDLC address (CE xx) an E570 list with
// 32-bit values looks like an E450's, so a user gives --profile, as this test does.
const std::map<std::string, std::string> kProfileWithoutLinkLayer = {{"SCS-E570-02", "e570_ch"}};

// Auto-detected and forced, whole and byte by byte: the information fields and the bare APDUs
// give what the whole frames give.
TEST_P(DlmsVector, DecodesFromItsInformationFieldsAndBareApdus) {
  using meterd::dlms::Framing;
  const Vector& v = vec();
  if (damaged_link_frame(v)) GTEST_SKIP() << "a damaged link frame carries no information field";
  for (const bool llc : {true, false}) {
    const Bytes input = without_link_layer(v, llc);
    ASSERT_FALSE(input.empty());
    for (const Framing framing : {Framing::auto_detect, llc ? Framing::llc : Framing::apdu}) {
      SCOPED_TRACE(std::string(llc ? "LLC + APDU" : "bare APDU") + ", framing " + meterd::dlms::framing_name(framing));
      auto config = config_for(v);
      config.framing = framing;
      if (const auto p = kProfileWithoutLinkLayer.find(v.id); p != kProfileWithoutLinkLayer.end()) config.profile = p->second;
      const DecoderRun run = run_decoder(config, input);
      expect_vector_result(v, run);
      EXPECT_EQ(run.has(diag::framing_detected), framing == Framing::auto_detect);
      EXPECT_EQ(run_bytewise(config, input).fingerprint(), run.fingerprint());
    }
    if (!llc) {
      // Bare APDUs forced to be read as M-Bus frames: nothing, and a hint at the line settings.
      auto wrong = config_for(v);
      wrong.framing = Framing::mbus;
      const DecoderRun run = run_decoder(wrong, input);
      EXPECT_TRUE(run.messages.empty());
      EXPECT_TRUE(run.has(diag::no_valid_frame));
    }
  }
}

TEST_P(DlmsVector, EverySplitPointGivesTheSameResult) {
  const Vector& v = vec();
  const auto config = config_for(v);
  const std::string whole = run_decoder(config, v.data).fingerprint();
  for (std::size_t cut = 1; cut < v.data.size(); ++cut) {
    const std::string split = run_decoder(config, v.data, {cut}).fingerprint();
    ASSERT_EQ(split, whole) << "split at " << cut;
  }
  EXPECT_EQ(run_bytewise(config, v.data).fingerprint(), whole);
}

TEST_P(DlmsVector, RandomChunkingGivesTheSameResult) {
  const Vector& v = vec();
  const auto config = config_for(v);
  const std::string whole = run_decoder(config, v.data).fingerprint();
  std::uint32_t seed = 12345;
  for (int round = 0; round < 20; ++round) {
    std::vector<std::size_t> cuts;
    for (std::size_t pos = 0;;) {
      seed = seed * 1664525u + 1013904223u;
      pos += 1 + (seed >> 24) % 97;
      if (pos >= v.data.size()) break;
      cuts.push_back(pos);
    }
    ASSERT_EQ(run_decoder(config, v.data, cuts).fingerprint(), whole) << "round " << round;
  }
}

TEST_P(DlmsVector, RepeatedTwiceGivesTwoMessagesOrTheSameRejection) {
  const Vector& v = vec();
  auto config = config_for(v);
  config.reject_repeated_frame_counter = false;  // the same capture twice repeats its counter
  const DecoderRun once = run_decoder(config, v.data);
  const DecoderRun twice = run_decoder(config, concat({v.data, v.data}));
  if (v.id == "AMS-LG949-1") {
    EXPECT_TRUE(twice.messages.empty());  // two lone first blocks still make no message
    return;
  }
  EXPECT_EQ(twice.messages.size(), 2 * once.messages.size());
  EXPECT_EQ(twice.counters.frames_ok, 2 * once.counters.frames_ok);
}

// The positional template (layout D) that decoded the vector, as --explain reports it.
std::string template_of(const Vector& v) {
  meterd::dlms::DlmsStreamDecoder decoder(config_for(v));
  std::string name;
  decoder.on_explain([&name](meterd::dlms::ExplainStep&& step) {
    if (step.layer != "OBIS mapping") return;
    for (const auto& [key, value] : step.fields)
      if (key == "template") name = value;
  });
  decoder.feed(v.data);
  decoder.finish();
  return name;
}

// No built-in list without OBIS codes ships on documentation alone: each decodes at least one
// real frame of the vector library (whose values the vector tests above check).
TEST(dlms_Layouts, EveryBuiltInTemplateDecodesARealFrame) {
  if (!meterd::testing::vectors_available()) GTEST_SKIP() << "shared vectors not found in " << vectors_dir();
  std::set<std::string> used;
  for (const auto& v : vectors())
    if (v.decodes) used.insert(template_of(v));
  std::size_t templates = 0;
  for (const meterd::dlms::MeterProfile* p : meterd::dlms::all_profiles()) {
    for (const meterd::dlms::PositionalTemplate& t : p->templates) {
      ++templates;
      EXPECT_TRUE(used.contains(std::string(t.name))) << "no vector is decoded by template " << t.name;
    }
  }
  EXPECT_GT(templates, 0u);
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(dlms, DlmsVector, ::testing::ValuesIn(vector_ids()), test_name);

}  // namespace
}  // namespace dlms_test
