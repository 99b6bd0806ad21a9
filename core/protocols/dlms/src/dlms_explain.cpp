// The --explain steps of DlmsStreamDecoder: what each layer held, as text fields. Built only
// when a step sink is set.
#include <cstdio>

#include "decoder_text.hpp"
#include "meterd/dlms/axdr_text.hpp"
#include "meterd/dlms/dlms_stream_decoder.hpp"
#include "meterd/hex.hpp"

namespace meterd::dlms {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

// HDLC addresses as sent, one to four bytes.
std::string hex_address(std::uint32_t a) {
  std::string s;
  for (int shift = 24; shift >= 0; shift -= 8)
    if (!s.empty() || (a >> shift) != 0 || shift == 0) s += hex_u8(static_cast<std::uint8_t>(a >> shift)) + (shift ? " " : "");
  return s;
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }

std::string security_text(std::uint8_t sc) {
  std::string s = hex_u8(sc) + " (";
  s += (sc & kSecurityEncrypted) ? "encrypted" : "not encrypted";
  s += (sc & kSecurityAuthenticated) ? ", authenticated" : "";
  s += ", suite " + std::to_string(sc & 0x0F) + ")";
  return s;
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

Fields value_fields(const DecodedValue& v) {
  Fields f;
  if (const double* d = std::get_if<double>(&v.value))
    f.emplace_back("value", number_text(*d));
  else
    f.emplace_back("value", std::get<std::string>(v.value));
  if (!v.unit.empty()) f.emplace_back("unit", v.unit);
  if (!v.quantity.empty()) f.emplace_back("quantity", v.quantity);
  if (v.raw) f.emplace_back("raw", std::to_string(*v.raw));
  if (v.scaler) f.emplace_back("scaler", std::to_string(*v.scaler));
  return f;
}

}  // namespace

std::string hex_u8(std::uint8_t v) { return to_hex(std::span<const std::uint8_t>(&v, 1)); }

std::string hex_u32(std::uint32_t v) {
  const std::uint8_t b[4] = {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                             static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
  return to_hex(b);
}

std::string system_title_text(const SystemTitle& st) {
  std::string s = to_hex(st);
  const bool flag_id = st[0] >= 'A' && st[0] <= 'Z' && st[1] >= 'A' && st[1] <= 'Z' && st[2] >= 'A' && st[2] <= 'Z';
  if (flag_id) s += " (" + std::string(st.begin(), st.begin() + 3) + ")";
  return s;
}

void DlmsStreamDecoder::explain(int depth, std::string layer, Fields fields) {
  explain_(ExplainStep{depth, std::move(layer), std::move(fields)});
}

void DlmsStreamDecoder::explain_hdlc(const HdlcFrame& f) {
  explain(0, "HDLC frame",
          {{"format", f.segmented ? "A8 (type 3, segmented: more follows)" : "A0 (type 3)"},
           {"length", std::to_string(f.length)},
           {"destination address", hex_address(f.destination)},
           {"source address", hex_address(f.source)},
           {"control", hex_u8(f.control)},
           {"HCS/FCS", "ok"},
           {"information bytes", std::to_string(f.info.size())}});
}

void DlmsStreamDecoder::explain_mbus(const MbusFrame& f) {
  explain(0, "M-Bus long frame",
          {{"L", std::to_string(f.data.size() + 3)},
           {"C", hex_u8(f.control)},
           {"A", hex_u8(f.address)},
           {"CI", hex_u8(f.ci) + " (segment " + std::to_string(f.segment_number()) +
                      (f.final_segment() ? ", final)" : ", more follow)")},
           {"checksum", "ok"},
           {"user data bytes", std::to_string(f.data.size())}});
}

void DlmsStreamDecoder::explain_bare_unit(const UnitRead& r) {
  explain(0, r.llc ? "information field (no link layer)" : "APDU (no link layer)",
          {{"bytes", std::to_string(r.size)}, {"checksum", "none at this layer"}});
}

void DlmsStreamDecoder::explain_reassembly(const char* what, std::size_t bytes) {
  explain(1, what, bytes ? Fields{{"bytes", std::to_string(bytes)}} : Fields{});
}

void DlmsStreamDecoder::explain_llc() {
  explain(1, "LLC header", {{"bytes", "E6 E7 00"}, {"destination LSAP", "E6"}, {"source LSAP", "E7"}, {"quality", "00"}});
}

void DlmsStreamDecoder::explain_gbt(const GbtBlock& block, ReassemblyResult r) {
  explain(1, "general-block-transfer",
          {{"block number", std::to_string(block.number)},
           {"last block", yes_no(block.last)},
           {"streaming", yes_no(block.streaming)},
           {"window", std::to_string(block.window)},
           {"acknowledged block", std::to_string(block.acknowledged)},
           {"block data bytes", std::to_string(block.data.size())},
           {"reassembly", reassembly_result_name(r)}});
}

void DlmsStreamDecoder::explain_cipher(const CipheredApdu& c) {
  explain(2, c.tag == kTagGloCiphering ? "general-glo-ciphering" : "general-ded-ciphering",
          {{"system title", system_title_text(c.system_title)},
           {"security control", security_text(c.security_control)},
           {"frame counter", hex_u32(c.frame_counter) + " (" + std::to_string(c.frame_counter) + ")"},
           {"ciphertext bytes", std::to_string(c.ciphertext.size())},
           {"authentication tag", c.auth_tag.empty() ? "none" : to_hex(c.auth_tag)},
           {"key", config_.encryption_key ? "configured" : "not configured"}});
}

void DlmsStreamDecoder::explain_decrypted(const DataNotification* n) {
  explain(2, "decrypted (AES-128-GCM)", {{"plaintext bytes", std::to_string(plaintext_.size())},
                                        {"plaintext", n ? "a valid data-notification" : "not a data-notification"}});
  if (n) explain_body(*n);
}

void DlmsStreamDecoder::explain_body(const DataNotification& n) {
  explain(3, "data-notification",
          {{"invoke-id", hex_u32(n.invoke_id)},
           {"date-time", n.datetime ? (n.datetime->has_wall_clock() ? "present" : "present, no wall clock") : "absent"},
           {"body bytes", std::to_string(n.body.size())}});
  const auto depths = axdr_depths(tree_);
  for (std::size_t i = 0; i < tree_.size(); ++i)
    explain(4 + depths[i], std::string("A-XDR ") + axdr_type_name(tree_.node(i).type), {{"value", axdr_value_text(tree_, i)}});
}

void DlmsStreamDecoder::explain_mapping() {
  Fields fields{{"layout", body_layout_name(content_.layout)}};
  if (content_.profile) fields.emplace_back("profile", std::string(content_.profile->name));
  if (!content_.template_name.empty()) fields.emplace_back("template", std::string(content_.template_name));
  if (!content_.meter_id.empty()) fields.emplace_back("meter id", content_.meter_id);
  explain(3, "OBIS mapping", std::move(fields));
  for (const DecodedValue& v : content_.values) explain(4, v.obis.empty() ? "(no OBIS code)" : v.obis, value_fields(v));
}

}  // namespace meterd::dlms
