#pragma once
// Streaming DLMS/COSEM push decoder: serial bytes in (any chunking), DecodedMessages and
// diagnostics out. Handles HDLC (incl. segmentation and several APDUs per frame), wired M-Bus
// long frames, General Block Transfer, general-glo/ded-ciphering and the four body layouts.
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meterd/dlms/axdr_reader.hpp"
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
  bool reject_repeated_frame_counter = true;
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

 private:
  struct Transport {
    bool gbt = false;
    bool hdlc_segmented = false;
    bool mbus = false;
    std::uint32_t hdlc_destination = 0;
  };
  void drain(bool end_of_input);
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

  DlmsConfig config_;
  const MeterProfile* profile_ = nullptr;  // nullptr: auto-detect
  std::vector<ScalerOverride> overrides_;
  CosemTimeConverter times_;
  DecoderCounters counters_;

  LinkFrameScanner scanner_;
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
