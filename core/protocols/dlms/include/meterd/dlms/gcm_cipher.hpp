#pragma once
// AES-128-GCM as DLMS uses it (general-glo/ded-ciphering): IV = system title || frame counter,
// AAD = security control byte || AK, 12-byte tag. The cipher itself is the shared
// meterd::AesGcm; this only lays out IV and AAD the DLMS way.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "meterd/aes_gcm.hpp"
#include "meterd/dlms/dlms_keys.hpp"

namespace meterd::dlms {

using SystemTitle = std::array<std::uint8_t, 8>;
constexpr std::size_t kGcmTagBytes = 12;
constexpr std::uint8_t kSecurityAuthenticated = 0x10;
constexpr std::uint8_t kSecurityEncrypted = 0x20;

class GcmDecryptor {
 public:
  GcmDecryptor() = default;
  GcmDecryptor(const GcmDecryptor&) = delete;
  GcmDecryptor& operator=(const GcmDecryptor&) = delete;

  // Tag-less decryption (AES-CTR from IV || 00000002), the default: DSOs rarely issue the AK.
  // Replaces `plaintext`. False only on an OpenSSL failure.
  bool decrypt(const AesKey& ek, const SystemTitle& system_title, std::uint32_t frame_counter,
               std::span<const std::uint8_t> ciphertext, std::vector<std::uint8_t>& plaintext);
  // Full GCM check of a 12-byte tag with AAD = security_control || AK.
  bool verify_tag(const AesKey& ek, const AesKey& ak, std::uint8_t security_control, const SystemTitle& system_title,
                  std::uint32_t frame_counter, std::span<const std::uint8_t> ciphertext,
                  std::span<const std::uint8_t> tag);

 private:
  AesGcm cipher_;
  std::vector<std::uint8_t> scratch_;  // plaintext of a tag check, kept to avoid reallocating
};

// Encrypts a plaintext APDU; with the A bit in `security_control` appends the 12-byte tag
// (which needs `ak`). Returns ciphertext [|| tag]. Throws std::invalid_argument / runtime_error.
std::vector<std::uint8_t> gcm_encrypt(const AesKey& ek, const std::optional<AesKey>& ak, std::uint8_t security_control,
                                      const SystemTitle& system_title, std::uint32_t frame_counter,
                                      std::span<const std::uint8_t> plaintext);

}  // namespace meterd::dlms
