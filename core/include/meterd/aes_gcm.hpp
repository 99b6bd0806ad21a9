#pragma once
// AES-128-GCM with a 12-byte IV, the one cipher both DLMS/COSEM (general-glo-ciphering, the
// Swiss CII pushes) and the Luxembourg Smarty P1 envelope use. Only the IV and AAD layouts
// differ between the two; they build those and call this. The OpenSSL contexts live in the
// object, so decrypting a message per second allocates nothing but the plaintext growth.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;

namespace meterd {

using Aes128Key = std::array<std::uint8_t, 16>;

enum class GcmOutcome { authenticated, tag_mismatch, not_verified /* no tag given */ };

class AesGcm {
 public:
  AesGcm();
  ~AesGcm();
  AesGcm(const AesGcm&) = delete;
  AesGcm& operator=(const AesGcm&) = delete;

  // Replaces `plaintext` with the decryption of `ciphertext` in every outcome: GCM is CTR mode
  // underneath, so callers can still tell a wrong encryption key (garbage) from a wrong
  // authentication key (readable, bad tag), and meters that send no tag can be read at all.
  // With an empty `tag` nothing is verified. Throws std::runtime_error when OpenSSL fails.
  GcmOutcome decrypt(const Aes128Key& key, std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
                     std::span<const std::uint8_t> ciphertext, std::span<const std::uint8_t> tag,
                     std::vector<std::uint8_t>& plaintext);

  // Ciphertext followed by the first `tag_bytes` (0..16) bytes of the tag. Throws
  // std::invalid_argument for a tag length above 16, std::runtime_error when OpenSSL fails.
  std::vector<std::uint8_t> encrypt(const Aes128Key& key, std::span<const std::uint8_t> iv,
                                    std::span<const std::uint8_t> aad, std::span<const std::uint8_t> plaintext,
                                    std::size_t tag_bytes);

 private:
  EVP_CIPHER_CTX* ctx_;
};

}  // namespace meterd
