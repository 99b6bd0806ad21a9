#pragma once
// Streaming DLMS/COSEM push decoder: serial bytes in (any chunking), DecodedMessages and
// diagnostics out. Handles HDLC (incl. segmentation and several APDUs per frame), wired M-Bus
// long frames, input without a link layer (LLC header + APDU, bare APDUs), General Block
// Transfer, general-glo/ded-ciphering and the four body layouts.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meterd/dlms/axdr_reader.hpp"
#include "meterd/dlms/bare_units.hpp"
#include "meterd/dlms/cosem_datetime.hpp"
#include "meterd/dlms/dlms_keys.hpp"
#include "meterd/dlms/gcm_cipher.hpp"
#include "meterd/dlms/link_frame_scanner.hpp"
#include "meterd/dlms/push_layouts.hpp"
#include "meterd/dlms/reassembly.hpp"
#include "meterd/dlms/xdlms_apdu.hpp"
#include "meterd/stream_decoder.hpp"

namespace meterd::dlms {

struct DlmsConfig {
  std::optional<AesKey> encryption_key;      // EK / GUEK from the DSO
  std::optional<AesKey> authentication_key;  // AK: when set, GCM tags are verified
  bool require_authentication = false;       // reject messages whose tag is missing, unchecked or wrong
  std::string profile = "auto";              // "auto" or a name from dlms_profile_names()
  std::map<std::string, int> scaler_overrides;  // "1-0:32.7.0" -> -1 (B ignored when matching)
  std::string time_zone = "Europe/Zurich";      // for date-times with unspecified deviation
  // Layout D template chosen by the user: one entry per list element, an OBIS code, "meter_id",
  // "time", or "" to skip. Used when the element count matches.
  std::vector<std::string> positional_obis;
  std::size_t max_message_bytes = kDefaultReassemblyCap;
  // The layer the bytes start at; auto_detect reads link frames unless the input begins with a
  // whole LLC header + APDU or bare APDU (a gateway that strips HDLC or M-Bus).
  Framing framing = Framing::auto_detect;
  bool reject_repeated_frame_counter = true;
};

// One step of the decoder's work, for `meterd decode --explain`: the layer it read and what it
// found there. Depth nests the steps: link frame 0, LLC and reassembly 1, security 2,
// data-notification 3, its body and the OBIS mapping 4 and deeper.
struct ExplainStep {
  int depth = 0;
  std::string layer;
  std::vector<std::pair<std::string, std::string>> fields;
};

class DlmsStreamDecoder : public StreamDecoder {
 public:
  // Throws std::invalid_argument for an unknown profile, a malformed override or time zone.
  explicit DlmsStreamDecoder(DlmsConfig config = {});
  ~DlmsStreamDecoder() override;

  std::string_view protocol() const override { return "dlms"; }
  void feed(std::span<const std::uint8_t> bytes) override;
  void finish() override;
  const DecoderCounters& counters() const override { return counters_; }
  const DlmsConfig& config() const { return config_; }
  // Every step is reported here when set (costs nothing when not).
  void on_explain(std::function<void(ExplainStep&&)> sink) { explain_ = std::move(sink); }

 private:
  struct Transport {
    bool gbt = false;
    bool hdlc_segmented = false;
    bool mbus = false;
    std::uint32_t hdlc_destination = 0;
  };
  enum class Mode { undecided, link, bare };
  void drain(bool end_of_input);
  void choose_framing(bool end_of_input);
  void drain_bare(bool end_of_input);
  void skip_bare_garbage();
  void on_hdlc(const HdlcFrame& f);
  void on_mbus(const MbusFrame& f);
  void on_damaged(const LinkFrameScanner::Event& e);
  void process_unit(std::span<const std::uint8_t> unit, Transport t);
  void process_gbt_block(std::span<const std::uint8_t>& unit, Transport t);
  std::size_t process_apdu(std::span<const std::uint8_t> apdu, Transport t);
  std::size_t process_ciphered(std::span<const std::uint8_t> apdu, Transport t);
  bool accept_decrypted(const CipheredApdu& c);
  void deliver(const DataNotification& n, Transport t, const std::optional<CipheredApdu>& cipher);
  void reassembly_fault(const std::string& layer, ReassemblyResult r);
  void report_garbage(std::uint64_t garbage);
  void diagnose(Severity s, const char* code, std::string message);
  // --explain steps (dlms_explain.cpp).
  bool explaining() const { return static_cast<bool>(explain_); }
  void explain(int depth, std::string layer, std::vector<std::pair<std::string, std::string>> fields);
  void explain_hdlc(const HdlcFrame& f);
  void explain_mbus(const MbusFrame& f);
  void explain_bare_unit(const UnitRead& r);
  void explain_reassembly(const char* what, std::size_t bytes);
  void explain_llc();
  void explain_gbt(const GbtBlock& block, ReassemblyResult r);
  void explain_cipher(const CipheredApdu& c);
  void explain_decrypted(const DataNotification* n);
  void explain_body(const DataNotification& n);
  void explain_mapping();

  DlmsConfig config_;
  std::function<void(ExplainStep&&)> explain_;
  const MeterProfile* profile_ = nullptr;  // nullptr: auto-detect
  std::vector<ScalerOverride> overrides_;
  CosemTimeConverter times_;
  DecoderCounters counters_;

  Mode mode_ = Mode::undecided;
  LinkFrameScanner scanner_;
  std::vector<std::uint8_t> bare_;  // bytes of the bare layers (or undecided), from bare_pos_ on
  std::size_t bare_pos_ = 0;
  std::uint64_t bare_garbage_ = 0, bare_garbage_since_unit_ = 0;
  HdlcSegmentReassembler hdlc_segments_;
  GbtReassembler gbt_;
  MbusSegmentReassembler mbus_segments_;
  GcmDecryptor decryptor_;
  AxdrTree tree_;
  std::vector<std::uint8_t> plaintext_;
  PushContent content_;

  std::map<SystemTitle, std::uint32_t> last_frame_counter_;
  std::map<SystemTitle, bool> no_key_reported_;
  bool unverified_reported_ = false;
  bool garbage_reported_ = false;
  unsigned consecutive_wrong_key_ = 0;
};

// Profile names accepted by DlmsConfig::profile, "auto" first.
std::vector<std::string> dlms_profile_names();
// Convenience: a decoder for `profile` with otherwise default (or given) settings.
std::unique_ptr<DlmsStreamDecoder> make_dlms_decoder(std::string_view profile, DlmsConfig config = {});

}  // namespace meterd::dlms
