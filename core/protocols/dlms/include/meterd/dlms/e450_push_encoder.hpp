#pragma once
// Encoder for Landis+Gyr E450-style CII pushes: layout A (capture-object list + values) in a
// data-notification, optionally general-glo-ciphered, split into GBT blocks, one block per
// HDLC UI frame. Used by the simulator to emit real-looking frames, by tests and benchmarks.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "meterd/dlms/cosem_datetime.hpp"
#include "meterd/dlms/dlms_keys.hpp"
#include "meterd/dlms/gcm_cipher.hpp"
#include "meterd/dlms/obis_catalogue.hpp"

namespace meterd::dlms {

// One captured attribute and its value as it goes on the wire.
struct PushItem {
  using Value = std::variant<std::uint16_t, std::uint32_t, std::int16_t, std::int32_t, std::uint64_t, std::int64_t,
                             std::string /* octet-string */, CosemDateTime /* octet-string of 12 */>;
  std::uint16_t class_id = 3;
  Obis code;
  std::int8_t attribute = 2;
  Value value;
};

struct E450Push {
  std::uint32_t invoke_id = 0;
  std::optional<CosemDateTime> header_time;  // APDU header date-time (L+G sends it; status 00)
  std::vector<PushItem> items;               // captured objects after the push setup's own two
  std::uint32_t frame_counter = 0;           // used when encrypting
};

struct E450EncoderOptions {
  std::vector<std::uint8_t> destination{0xCE, 0xFF};
  std::vector<std::uint8_t> source{0x03};
  std::uint8_t control = 0x13;
  Obis push_setup{0, 8, 25, 9, 0, 255};
  // GBT block data sizes, in order; blocks beyond the list use max_block_data.
  std::vector<std::size_t> block_sizes;
  std::size_t max_block_data = 120;
  // Encryption (general-glo-ciphering) when `encryption_key` is set.
  std::optional<AesKey> encryption_key;
  std::optional<AesKey> authentication_key;  // needed when security_control has the A bit
  SystemTitle system_title{'L', 'G', 'Z', 0x67, 0x00, 0x00, 0x00, 0x01};
  std::uint8_t security_control = 0x30;
};

// The readings of the VSE 2026 standard list (ids, energies, powers, U and I per phase).
struct E450Readings {
  std::string logical_device_name = "LGZ1030000000001";
  std::string serial = "1000001";
  CosemDateTime clock;
  std::uint32_t active_energy_import_wh = 0, active_energy_export_wh = 0;
  std::uint32_t reactive_energy_import_varh = 0, reactive_energy_export_varh = 0;
  std::uint32_t active_power_import_w = 0, active_power_export_w = 0;
  std::uint16_t voltage_v[3] = {0, 0, 0};       // whole volts
  std::uint16_t current_centiamp[3] = {0, 0, 0};  // 0.01 A
};

std::vector<PushItem> vse2026_e450_items(const E450Readings& r);

class E450PushEncoder {
 public:
  explicit E450PushEncoder(E450EncoderOptions options = {});

  // The notification body: structure { capture-object array, values... }.
  std::vector<std::uint8_t> body(const E450Push& push) const;
  // The data-notification APDU (plaintext).
  std::vector<std::uint8_t> notification(const E450Push& push) const;
  // The APDU that goes into GBT: the notification, or its general-glo-ciphering envelope.
  std::vector<std::uint8_t> apdu(const E450Push& push) const;
  // Wire bytes: HDLC frames, each with one GBT block, LLC header in the first.
  std::vector<std::uint8_t> encode(const E450Push& push) const;
  const E450EncoderOptions& options() const { return options_; }

 private:
  E450EncoderOptions options_;
};

// The general-glo-ciphering envelope DB 08 <ST> <len> SC FC ciphertext [tag].
std::vector<std::uint8_t> glo_ciphering_apdu(const AesKey& ek, const std::optional<AesKey>& ak,
                                             std::uint8_t security_control, const SystemTitle& st,
                                             std::uint32_t frame_counter, std::span<const std::uint8_t> plaintext);

}  // namespace meterd::dlms
