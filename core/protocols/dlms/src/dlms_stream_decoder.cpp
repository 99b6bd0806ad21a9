#include "meterd/dlms/dlms_stream_decoder.hpp"

#include <algorithm>
#include <stdexcept>

#include "meterd/dlms/diagnostic_codes.hpp"
#include "meterd/hex.hpp"
#include "decoder_text.hpp"

namespace meterd::dlms {
namespace {

constexpr std::size_t kDumpBytes = 48;
// How long auto-detection waits for the first unit to complete before reading link frames.
constexpr std::size_t kDetectionWindow = 8192;

// Information fields carry the LLC header, except the continuation frames of L+G's block
// transfer, which start with the E0 block itself; bare APDUs never have one.
std::optional<bool> llc_rule(Framing f) {
  if (f == Framing::apdu) return false;
  return std::nullopt;
}

// Meter id of last resort: FLAG manufacturer id + the serial part of the system title.
std::string identity_from_system_title(const SystemTitle& st) {
  const bool flag_id = st[0] >= 'A' && st[0] <= 'Z' && st[1] >= 'A' && st[1] <= 'Z' && st[2] >= 'A' && st[2] <= 'Z';
  if (!flag_id) return to_hex(st);
  return std::string(st.begin(), st.begin() + 3) + to_hex(std::span<const std::uint8_t>(st).subspan(3));
}

std::string_view manufacturer_of(const SystemTitle& st) {
  static thread_local char id[3];
  for (int i = 0; i < 3; ++i) {
    if (st[i] < 'A' || st[i] > 'Z') return {};
    id[i] = static_cast<char>(st[i]);
  }
  return std::string_view(id, 3);
}


const MeterProfile* resolve_profile(const std::string& name) {
  if (name.empty() || name == "auto") return nullptr;
  const MeterProfile* p = find_profile(name);
  if (!p) {
    std::string known;
    for (const auto& n : dlms_profile_names()) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown DLMS meter profile '" + name + "'; known profiles: " + known);
  }
  return p;
}

std::vector<ScalerOverride> parse_overrides(const std::map<std::string, int>& in) {
  std::vector<ScalerOverride> out;
  for (const auto& [text, scaler] : in) {
    const auto code = Obis::parse(text);
    if (!code) throw std::invalid_argument("scaler override key '" + text + "' is not an OBIS code like 1-0:32.7.0");
    if (scaler < -20 || scaler > 20) throw std::invalid_argument("scaler override for " + text + " is out of range");
    out.push_back({*code, scaler});
  }
  return out;
}

}  // namespace

DlmsStreamDecoder::DlmsStreamDecoder(DlmsConfig config)
    : config_(std::move(config)),
      profile_(resolve_profile(config_.profile)),
      overrides_(parse_overrides(config_.scaler_overrides)),
      times_(TimeZone::load(config_.time_zone)),
      hdlc_segments_(config_.max_message_bytes),
      gbt_(config_.max_message_bytes),
      mbus_segments_(config_.max_message_bytes) {
  if (config_.framing == Framing::hdlc || config_.framing == Framing::mbus) mode_ = Mode::link;
  if (config_.framing == Framing::llc || config_.framing == Framing::apdu) mode_ = Mode::bare;
  plaintext_.reserve(1024);
  content_.values.reserve(64);
}

DlmsStreamDecoder::~DlmsStreamDecoder() = default;

void DlmsStreamDecoder::diagnose(Severity s, const char* code, std::string message) {
  report(DecoderDiagnostic{s, code, std::move(message)});
}

void DlmsStreamDecoder::feed(std::span<const std::uint8_t> bytes) {
  counters_.bytes += bytes.size();
  if (mode_ == Mode::link) {
    scanner_.append(bytes);
  } else {
    // Compact once the consumed prefix dominates: amortised O(1) per byte, bounded memory.
    if (bare_pos_ > 0 && bare_pos_ * 2 >= bare_.size()) {
      bare_.erase(bare_.begin(), bare_.begin() + static_cast<std::ptrdiff_t>(bare_pos_));
      bare_pos_ = 0;
    }
    bare_.insert(bare_.end(), bytes.begin(), bytes.end());
  }
  drain(false);
}

void DlmsStreamDecoder::finish() {
  drain(true);
  if (gbt_.active() || hdlc_segments_.active() || mbus_segments_.active()) {
    ++counters_.errors;
    diagnose(Severity::warning, diag::incomplete_message,
             "input ended in the middle of a multi-frame message; its remaining frames never arrived");
  }
  gbt_.reset();
  hdlc_segments_.reset();
  mbus_segments_.reset();
}

// Auto-detection: link frames unless the input begins with one whole bare unit. A unit that
// also holds a checksummed frame is read as frames: a verified checksum is the stronger evidence.
void DlmsStreamDecoder::choose_framing(bool end_of_input) {
  const std::span<const std::uint8_t> head(bare_.data() + bare_pos_, bare_.size() - bare_pos_);
  if (head.empty()) return;
  std::optional<UnitRead> unit;
  if (head[0] == kLlcHeader[0] || is_push_apdu_tag(head[0])) {
    // Looking at a fixed window keeps the choice independent of how the input is chunked.
    const auto window = head.first(std::min(head.size(), kDetectionWindow));
    unit = read_bare_unit(window, std::nullopt, tree_);
    if (unit->status == UnitStatus::need_more && !end_of_input && window.size() < kDetectionWindow) return;
  }
  const bool bare = unit && unit->status == UnitStatus::ok && !contains_link_frame(head.first(unit->size));
  if (bare) {
    mode_ = Mode::bare;
    diagnose(Severity::info, diag::framing_detected,
             std::string("no HDLC or M-Bus frame around the data: read as ") +
                 (unit->llc ? "HDLC information fields (LLC header E6 E7 00 + APDU)" : "bare APDUs") +
                 " without a checksum; force another reading with --framing (option `framing`)");
    return;
  }
  if (unit && unit->status == UnitStatus::ok)
    diagnose(Severity::info, diag::framing_detected,
             "the input parses as a bare APDU but holds an HDLC or M-Bus frame whose checksum verifies: read as "
             "link frames; force the other reading with --framing apdu or llc");
  mode_ = Mode::link;
  scanner_.append(head);
  bare_.clear();
  bare_.shrink_to_fit();
  bare_pos_ = 0;
}

void DlmsStreamDecoder::drain(bool end_of_input) {
  if (mode_ == Mode::undecided) choose_framing(end_of_input);
  if (mode_ == Mode::bare) {
    drain_bare(end_of_input);
    return;
  }
  if (mode_ != Mode::link) return;
  while (auto e = scanner_.next(end_of_input)) {
    switch (e->kind) {
      case LinkFrameScanner::Kind::hdlc: on_hdlc(e->hdlc); break;
      case LinkFrameScanner::Kind::mbus: on_mbus(e->mbus); break;
      case LinkFrameScanner::Kind::damaged: on_damaged(*e); break;
      case LinkFrameScanner::Kind::garbage: report_garbage(LinkFrameScanner::kGarbageAlarmBytes); break;
    }
  }
  counters_.garbage_bytes = scanner_.garbage_bytes();
  // Short inputs that never held a frame still deserve the hint, once, at their end.
  if (end_of_input && counters_.frames_ok == 0 && scanner_.garbage_bytes() > 0 && !garbage_reported_)
    report_garbage(scanner_.garbage_bytes());
}

void DlmsStreamDecoder::drain_bare(bool end_of_input) {
  const std::optional<bool> llc = llc_rule(config_.framing);
  while (bare_pos_ < bare_.size()) {
    std::span<const std::uint8_t> rest(bare_.data() + bare_pos_, bare_.size() - bare_pos_);
    // A unit beyond the reassembly cap is never waited for, whatever the chunking.
    const bool capped = rest.size() >= config_.max_message_bytes;
    if (capped) rest = rest.first(config_.max_message_bytes);
    const UnitRead r = read_bare_unit(rest, llc, tree_);
    if (r.status == UnitStatus::ok) {
      ++counters_.frames_ok;
      garbage_reported_ = false;
      bare_garbage_since_unit_ = 0;
      bare_pos_ += r.size;
      if (explaining()) explain_bare_unit(r);
      process_unit(rest.first(r.size), Transport{});
      continue;
    }
    if (r.status == UnitStatus::need_more && !end_of_input && !capped) break;
    skip_bare_garbage();
  }
  counters_.garbage_bytes = bare_garbage_;
  if (end_of_input && counters_.frames_ok == 0 && bare_garbage_ > 0 && !garbage_reported_) report_garbage(bare_garbage_);
}

// No checksum to resynchronise on: step one byte and try again.
void DlmsStreamDecoder::skip_bare_garbage() {
  ++bare_pos_;
  ++bare_garbage_;
  if (++bare_garbage_since_unit_ == LinkFrameScanner::kGarbageAlarmBytes) report_garbage(bare_garbage_since_unit_);
}

void DlmsStreamDecoder::report_garbage(std::uint64_t garbage) {
  garbage_reported_ = true;
  if (mode_ == Mode::bare) {
    std::string msg = std::to_string(garbage) + " bytes that are not " +
                      (config_.framing == Framing::llc ? "an LLC header E6 E7 00 + APDU"
                       : config_.framing == Framing::apdu ? "a push APDU (0F, DB, DC or E0)"
                                                          : "an LLC header + APDU or a push APDU") +
                      (counters_.frames_ok == 0 ? " (none so far)" : " since the last good one") +
                      ": check which layer the input starts at (--framing hdlc, mbus, llc or apdu)";
    diagnose(Severity::warning, diag::no_valid_frame, std::move(msg));
    return;
  }
  std::string msg = std::to_string(garbage) + " bytes received without a valid HDLC or M-Bus frame";
  msg += counters_.frames_ok == 0 ? " (none so far)" : " since the last good one";
  msg += ": the line settings are probably wrong. Try the presets 2400 8E1 (L+G E450/E570 CII, Kaifa, "
         "Sagemcom), 9600 8N1 (E360 P1, E450 optical) and 115200 8N1 (AM550 P1); a P1 port needs an "
         "inverted signal; an M-Bus CII needs an M-Bus slave adapter";
  diagnose(Severity::warning, diag::no_valid_frame, std::move(msg));
}

void DlmsStreamDecoder::on_damaged(const LinkFrameScanner::Event& e) {
  ++counters_.frames_bad;
  const char* layer = e.mbus_link ? "M-Bus" : "HDLC";
  if (e.reason == FrameStatus::bad_fcs) {
    diagnose(Severity::warning, diag::crc_error,
             std::string(layer) + " frame with a valid header failed its checksum (" +
                 (e.mbus_link ? "M-Bus sum" : "FCS, CRC-16/X.25") +
                 "): bytes were lost or corrupted on the line; check cabling and the adapter");
  } else {
    diagnose(Severity::warning, diag::frame_error,
             std::string(layer) + " frame passed its checksums but is not followed by its end marker");
  }
}

void DlmsStreamDecoder::on_hdlc(const HdlcFrame& f) {
  ++counters_.frames_ok;
  if (explaining()) explain_hdlc(f);
  garbage_reported_ = false;
  bool discarded = false;
  const ReassemblyResult r = hdlc_segments_.add(f.segmented, f.info, discarded);
  if (discarded) {
    ++counters_.errors;
    diagnose(Severity::warning, diag::incomplete_message,
             "HDLC segmented message dropped: a new message began before its last segment arrived");
  }
  switch (r) {
    case ReassemblyResult::single: process_unit(f.info, Transport{false, false, false, f.destination}); break;
    case ReassemblyResult::complete:
      if (explaining()) explain_reassembly("HDLC segments joined", hdlc_segments_.message().size());
      process_unit(hdlc_segments_.message(), Transport{false, true, false, f.destination});
      break;
    case ReassemblyResult::in_progress:
      if (explaining()) explain_reassembly("HDLC segment, waiting for the next", 0);
      break;
    default: reassembly_fault("HDLC segment", r); break;
  }
}

void DlmsStreamDecoder::on_mbus(const MbusFrame& f) {
  ++counters_.frames_ok;
  if (explaining()) explain_mbus(f);
  garbage_reported_ = false;
  bool discarded = false;
  const ReassemblyResult r = mbus_segments_.add(f.ci, f.data, discarded);
  if (discarded) {
    ++counters_.errors;
    diagnose(Severity::warning, diag::incomplete_message,
             "M-Bus segmented message dropped: a new first segment arrived before the final one");
  }
  if (r == ReassemblyResult::in_progress && explaining()) explain_reassembly("M-Bus segment, waiting for the next", 0);
  if (r == ReassemblyResult::complete && explaining())
    explain_reassembly("M-Bus segments joined (TSAP removed)", mbus_segments_.message().size());
  if (r == ReassemblyResult::complete)
    process_unit(mbus_segments_.message(), Transport{false, false, true, 0});
  else if (r != ReassemblyResult::in_progress)
    reassembly_fault("M-Bus segment", r);
}

void DlmsStreamDecoder::reassembly_fault(const std::string& layer, ReassemblyResult r) {
  if (r == ReassemblyResult::orphan) {
    // Normal right after start-up: we joined in the middle of a message.
    diagnose(Severity::info, diag::reassembly_orphan,
             layer + " ignored: continuation without its first part (reading started mid-message "
                                  "or the first part was lost)");
    return;
  }
  ++counters_.errors;
  if (r == ReassemblyResult::overflow) {
    diagnose(Severity::warning, diag::message_too_large,
             layer + " reassembly exceeded " + std::to_string(config_.max_message_bytes) +
                 " bytes; message dropped");
    return;
  }
  diagnose(Severity::warning, diag::reassembly_dropped,
           layer + " sequence broken (" + reassembly_result_name(r) + "); that message is dropped");
}

void DlmsStreamDecoder::process_unit(std::span<const std::uint8_t> unit, Transport t) {
  bool first = true;
  while (!unit.empty()) {
    if (starts_with_llc(unit)) {
      if (explaining()) explain_llc();
      unit = unit.subspan(3);
    }
    if (unit.empty()) break;
    const std::uint8_t tag = unit[0];
    if (tag == kTagGeneralBlockTransfer) {
      process_gbt_block(unit, t);
    } else if (tag == kTagDataNotification || tag == kTagGloCiphering || tag == kTagDedCiphering) {
      const std::size_t used = process_apdu(unit, t);
      if (used == 0) return;
      unit = unit.subspan(used);
    } else {
      ++counters_.errors;
      diagnose(first ? Severity::error : Severity::info, first ? diag::unknown_apdu : diag::trailing_bytes,
               std::string(first ? "APDU tag " + hex_u8(tag) + " is not a push (expected 0F, DB, DC or E0)"
                                 : "bytes after the last APDU of a frame ignored") +
                   "; start: " + to_hex(unit, kDumpBytes));
      return;
    }
    first = false;
  }
}

void DlmsStreamDecoder::process_gbt_block(std::span<const std::uint8_t>& unit, Transport t) {
  const auto block = parse_gbt_block(unit);
  if (!block) {
    ++counters_.errors;
    diagnose(Severity::error, diag::apdu_malformed,
             "general-block-transfer block is truncated; start: " + to_hex(unit, kDumpBytes));
    unit = {};
    return;
  }
  unit = unit.subspan(block->encoded_size);
  bool discarded = false;
  const ReassemblyResult r = gbt_.add(*block, discarded);
  if (explaining()) explain_gbt(*block, r);
  if (discarded) {
    ++counters_.errors;
    diagnose(Severity::warning, diag::incomplete_message,
             "block-transfer message dropped: block 1 of a new push arrived before the last block of the "
             "previous one");
  }
  if (r == ReassemblyResult::complete) {
    t.gbt = true;
    // The reassembled APDU lives in gbt_; nothing below adds blocks until it is processed.
    std::span<const std::uint8_t> apdu = gbt_.message();
    while (!apdu.empty()) {
      const std::size_t used = process_apdu(apdu, t);
      if (used == 0) break;
      apdu = apdu.subspan(used);
    }
  } else if (r != ReassemblyResult::in_progress) {
    reassembly_fault("general-block-transfer block " + std::to_string(block->number), r);
  }
}

std::size_t DlmsStreamDecoder::process_apdu(std::span<const std::uint8_t> apdu, Transport t) {
  if (apdu[0] == kTagGloCiphering || apdu[0] == kTagDedCiphering) return process_ciphered(apdu, t);
  if (apdu[0] != kTagDataNotification) {
    ++counters_.errors;
    diagnose(Severity::error, diag::unknown_apdu,
             "APDU tag " + hex_u8(apdu[0]) + " is not a push; start: " + to_hex(apdu, kDumpBytes));
    return 0;
  }
  NotificationError err;
  const auto n = parse_data_notification(apdu, tree_, false, err);
  if (n && explaining()) explain_body(*n);
  if (!n) {
    ++counters_.errors;
    std::string why = notification_error_name(err);
    if (err == NotificationError::bad_body) why += std::string(" (") + axdr_error_name(tree_.error()) + ")";
    diagnose(Severity::error, diag::apdu_malformed,
             "data-notification cannot be parsed: " + why + "; start: " + to_hex(apdu, kDumpBytes));
    return 0;
  }
  deliver(*n, t, std::nullopt);
  return n->encoded_size;
}

std::size_t DlmsStreamDecoder::process_ciphered(std::span<const std::uint8_t> apdu, Transport t) {
  CipherHeaderError herr;
  const auto c = parse_ciphered_apdu(apdu, herr);
  if (!c) {
    ++counters_.errors;
    diagnose(Severity::error, diag::cipher_header_invalid,
             std::string("ciphered APDU header invalid: ") + cipher_header_error_name(herr) +
                 "; start: " + to_hex(apdu, kDumpBytes));
    return 0;
  }
  const std::string header = "system title " + system_title_text(c->system_title) + ", security control " +
                             hex_u8(c->security_control) + ", frame counter " + hex_u32(c->frame_counter);
  if (explaining()) explain_cipher(*c);
  if (!config_.encryption_key) {
    ++counters_.errors;
    if (!no_key_reported_[c->system_title]) {
      no_key_reported_[c->system_title] = true;
      diagnose(Severity::warning, diag::encrypted_no_key,
               "the meter encrypts its pushes (" + header +
                   "); configure the encryption key (32 hex digits) issued by your grid operator");
    }
    return c->encoded_size;
  }
  if (!decryptor_.decrypt(*config_.encryption_key, c->system_title, c->frame_counter, c->ciphertext, plaintext_)) {
    ++counters_.errors;
    diagnose(Severity::error, diag::wrong_key, "AES decryption failed inside OpenSSL (" + header + ")");
    return c->encoded_size;
  }
  NotificationError err;
  const auto n = parse_data_notification(plaintext_, tree_, true, err);
  if (explaining()) explain_decrypted(n ? &*n : nullptr);
  const bool can_check_tag = c->authenticated() && config_.authentication_key;
  if (!n) {
    ++counters_.errors;
    ++consecutive_wrong_key_;
    std::string msg = "wrong encryption key: the decrypted push is not a valid data-notification (" +
                      std::string(notification_error_name(err)) + "; " + header + ")";
    if (can_check_tag) {
      const bool tag_ok = decryptor_.verify_tag(*config_.encryption_key, *config_.authentication_key,
                                                c->security_control, c->system_title, c->frame_counter,
                                                c->ciphertext, c->auth_tag);
      msg += tag_ok ? "; the authentication tag verifies, so the keys are right but the content is not understood"
                    : "; the authentication tag does not verify either";
    }
    msg += "; " + std::to_string(consecutive_wrong_key_) + " push(es) in a row";
    diagnose(Severity::error, diag::wrong_key, std::move(msg));
    return c->encoded_size;
  }
  consecutive_wrong_key_ = 0;
  if (!accept_decrypted(*c)) return c->encoded_size;
  deliver(*n, t, c);
  return c->encoded_size;
}

// Authentication and replay policy for a plaintext that passed the structural check.
bool DlmsStreamDecoder::accept_decrypted(const CipheredApdu& c) {
  if (c.authenticated()) {
    if (config_.authentication_key) {
      const bool ok = decryptor_.verify_tag(*config_.encryption_key, *config_.authentication_key, c.security_control,
                                            c.system_title, c.frame_counter, c.ciphertext, c.auth_tag);
      if (!ok) {
        const bool reject = config_.require_authentication;
        diagnose(reject ? Severity::error : Severity::warning, diag::auth_tag_mismatch,
                 std::string("authentication key wrong: the GCM tag does not verify although the encryption key "
                             "is right") +
                     (reject ? "; message rejected (authentication required)" : "; data decrypted anyway"));
        if (reject) {
          ++counters_.errors;
          return false;
        }
      }
    } else if (config_.require_authentication) {
      ++counters_.errors;
      diagnose(Severity::error, diag::unauthenticated_rejected,
               "push carries an authentication tag but no authentication key is configured; message rejected");
      return false;
    } else if (!unverified_reported_) {
      unverified_reported_ = true;
      diagnose(Severity::info, diag::decrypted_unverified,
               "decrypted, not authenticated: the push carries a GCM tag but no authentication key (AK) is "
               "configured; that is normal when the grid operator issues only the encryption key");
    }
  } else if (config_.require_authentication) {
    ++counters_.errors;
    diagnose(Severity::error, diag::unauthenticated_rejected,
             "push is encrypted without authentication (security control " + hex_u8(c.security_control) +
                 ") but authentication is required; message rejected");
    return false;
  }
  auto [it, inserted] = last_frame_counter_.try_emplace(c.system_title, c.frame_counter);
  if (!inserted) {
    if (c.frame_counter <= it->second) {
      diagnose(Severity::warning, diag::repeated_frame_counter,
               "repeated frame counter " + hex_u32(c.frame_counter) + " (last " + hex_u32(it->second) +
                   ") from system title " + system_title_text(c.system_title) +
                   (config_.reject_repeated_frame_counter ? ": replayed or duplicated push rejected" : ""));
      if (config_.reject_repeated_frame_counter) {
        ++counters_.errors;
        return false;
      }
    } else {
      it->second = c.frame_counter;
    }
  }
  return true;
}

void DlmsStreamDecoder::deliver(const DataNotification& n, Transport t, const std::optional<CipheredApdu>& cipher) {
  LayoutOptions options;
  options.profile = profile_;
  options.transport.gbt = t.gbt;
  options.transport.hdlc_segmented = t.hdlc_segmented;
  options.transport.hdlc_destination = t.hdlc_destination;
  if (cipher) options.transport.manufacturer = manufacturer_of(cipher->system_title);
  options.scaler_overrides = overrides_;
  options.positional_obis = config_.positional_obis;
  const bool decoded = decode_push_body(tree_, options, content_);
  if (decoded && explaining()) explain_mapping();
  if (!decoded) {
    ++counters_.errors;
    diagnose(Severity::error, diag::unsupported_layout,
             "push body matches no known layout (no capture list, no OBIS codes, no positional profile with " +
                 std::to_string(tree_.node(0).length) + " elements); configure a positional OBIS table or "
                 "report it with this dump: " + to_hex(n.body, kDumpBytes));
    return;
  }
  DecodedMessage m;
  m.protocol = "dlms";
  m.meter_id = std::move(content_.meter_id);
  if (m.meter_id.empty() && cipher) m.meter_id = identity_from_system_title(cipher->system_title);
  const bool standard_time = content_.profile && content_.profile->standard_time_only;
  if (content_.clock) m.time = times_.to_meter_time(*content_.clock, standard_time);
  if (!m.time && n.datetime) m.time = times_.to_meter_time(*n.datetime, standard_time);
  m.values = std::move(content_.values);
  content_.values.reserve(m.values.size());
  if (cipher) m.frame_counter = cipher->frame_counter;
  ++counters_.messages;
  emit(std::move(m));
}

std::vector<std::string> dlms_profile_names() {
  std::vector<std::string> names{"auto"};
  for (auto& n : profile_names()) names.push_back(std::move(n));
  return names;
}

std::unique_ptr<DlmsStreamDecoder> make_dlms_decoder(std::string_view profile, DlmsConfig config) {
  config.profile = std::string(profile);
  return std::make_unique<DlmsStreamDecoder>(std::move(config));
}

}  // namespace meterd::dlms
