#pragma once
// AES-128-GCM decryption with a 12-byte tag, as used by the Luxembourg Smarty P1 envelope.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace meterd::dsmr {

enum class GcmOutcome { authenticated, tag_mismatch, not_verified /* no tag given */ };

// Fills `plaintext` in either case: GCM decryption is CTR mode, so the caller can still tell a
// wrong encryption key (garbage) from a wrong authentication key (readable text, bad tag).
GcmOutcome aes128_gcm_decrypt(const std::array<std::uint8_t, 16>& key, std::span<const std::uint8_t> iv,
                              std::span<const std::uint8_t> aad, std::span<const std::uint8_t> ciphertext,
                              std::span<const std::uint8_t> tag, std::vector<std::uint8_t>& plaintext);

}  // namespace meterd::dsmr
