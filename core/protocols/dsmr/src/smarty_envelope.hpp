#pragma once
// Luxembourg Smarty P1 envelope: DB 08 <system title> 82 <len> <SC> <FC> <ciphertext> <tag>,
// the ciphertext being a complete DSMR telegram (AES-128-GCM, IV = title || FC,
// AAD = SC || AK).
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace meterd::dsmr {

struct EnvelopeKeys {
  std::optional<std::array<std::uint8_t, 16>> encryption;
  std::array<std::uint8_t, 16> authentication{};
};

enum class EnvelopeStatus {
  authenticated,          // tag verified, plaintext is a telegram
  decrypted,              // security control without a tag (0x20): plaintext looks like a telegram
  no_key,                 // encrypted, no key configured
  wrong_key,              // plaintext is not a telegram
  authentication_failed,  // plaintext is a telegram but the tag does not verify
  malformed,              // header and length disagree
};

struct EnvelopeResult {
  EnvelopeStatus status = EnvelopeStatus::malformed;
  std::vector<std::uint8_t> plaintext;
  std::string system_title;  // hex
  std::uint32_t frame_counter = 0;
  std::uint8_t security_control = 0;
};

// `envelope` is exactly one envelope as delimited by DsmrTelegramReader.
EnvelopeResult open_smarty_envelope(std::span<const std::uint8_t> envelope, const EnvelopeKeys& keys);

}  // namespace meterd::dsmr
