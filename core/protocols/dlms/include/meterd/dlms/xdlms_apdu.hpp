#pragma once
// xDLMS APDUs found in pushes: data-notification (0F) and the ciphered envelopes
// general-glo-ciphering (DB) / general-ded-ciphering (DC).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "meterd/dlms/axdr_reader.hpp"
#include "meterd/dlms/cosem_datetime.hpp"
#include "meterd/dlms/gcm_cipher.hpp"

namespace meterd::dlms {

constexpr std::uint8_t kTagDataNotification = 0x0F;
constexpr std::uint8_t kTagGloCiphering = 0xDB;
constexpr std::uint8_t kTagDedCiphering = 0xDC;
constexpr std::uint8_t kTagGeneralBlockTransfer = 0xE0;

enum class NotificationError {
  none,
  not_a_notification,  // first byte is not 0F
  truncated,           // invoke id or date-time cut off
  bad_datetime,        // header date-time with out-of-range fields or a wrong length marker
  bad_body,            // the body is not one A-XDR Data (see AxdrTree::error())
};

const char* notification_error_name(NotificationError e);

struct DataNotification {
  std::uint32_t invoke_id = 0;
  std::optional<CosemDateTime> datetime;
  std::span<const std::uint8_t> body;  // exactly the one A-XDR Data, parsed into the tree
  std::size_t encoded_size = 0;        // bytes of the whole APDU
};

// Parses a data-notification; the body is parsed into `tree`. With `exact` the body must use
// every remaining byte (plaintext validation); otherwise trailing bytes are left to the caller.
std::optional<DataNotification> parse_data_notification(std::span<const std::uint8_t> bytes, AxdrTree& tree,
                                                        bool exact, NotificationError& error);

struct CipheredApdu {
  std::uint8_t tag = 0;
  SystemTitle system_title{};
  std::uint8_t security_control = 0;
  std::uint32_t frame_counter = 0;
  std::span<const std::uint8_t> ciphertext;
  std::span<const std::uint8_t> auth_tag;  // empty unless SC bit 4
  std::size_t encoded_size = 0;

  bool authenticated() const { return (security_control & kSecurityAuthenticated) != 0; }
  bool encrypted() const { return (security_control & kSecurityEncrypted) != 0; }
  std::uint8_t suite() const { return security_control & 0x0F; }
};

enum class CipherHeaderError {
  none,
  truncated,          // header or declared length runs past the data
  bad_system_title,   // system title length is not 8
  unsupported_security,  // suite > 1, compression, or not encrypted
};

const char* cipher_header_error_name(CipherHeaderError e);

std::optional<CipheredApdu> parse_ciphered_apdu(std::span<const std::uint8_t> bytes, CipherHeaderError& error);

}  // namespace meterd::dlms
