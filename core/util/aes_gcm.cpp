#include "meterd/aes_gcm.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <new>
#include <stdexcept>

namespace meterd {
namespace {

// Messages are capped far below INT_MAX by every decoder's size limit.
int as_int(std::size_t n) { return static_cast<int>(n); }

void check(int rc, const char* what) {
  if (rc != 1) throw std::runtime_error(std::string("OpenSSL AES-128-GCM: ") + what + " failed");
}

}  // namespace

AesGcm::AesGcm() : ctx_(EVP_CIPHER_CTX_new()) {
  if (!ctx_) throw std::bad_alloc();
}

AesGcm::~AesGcm() { EVP_CIPHER_CTX_free(ctx_); }

GcmOutcome AesGcm::decrypt(const Aes128Key& key, std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
                           std::span<const std::uint8_t> ciphertext, std::span<const std::uint8_t> tag,
                           std::vector<std::uint8_t>& plaintext) {
  if (tag.size() > 16) throw std::invalid_argument("a GCM tag has at most 16 bytes");
  plaintext.resize(ciphertext.size());
  int len = 0;
  // Re-initialising the cipher resets the context; it is reused rather than reallocated.
  check(EVP_DecryptInit_ex(ctx_, EVP_aes_128_gcm(), nullptr, nullptr, nullptr), "init");
  check(EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_SET_IVLEN, as_int(iv.size()), nullptr), "IV length");
  check(EVP_DecryptInit_ex(ctx_, nullptr, nullptr, key.data(), iv.data()), "key");
  if (!aad.empty()) check(EVP_DecryptUpdate(ctx_, nullptr, &len, aad.data(), as_int(aad.size())), "AAD");
  if (!ciphertext.empty())
    check(EVP_DecryptUpdate(ctx_, plaintext.data(), &len, ciphertext.data(), as_int(ciphertext.size())), "decrypt");
  if (tag.empty()) return GcmOutcome::not_verified;
  // OpenSSL takes the expected tag through a non-const pointer although it only reads it.
  std::array<std::uint8_t, 16> expected{};
  std::copy(tag.begin(), tag.end(), expected.begin());
  check(EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_SET_TAG, as_int(tag.size()), expected.data()), "set tag");
  std::array<std::uint8_t, 16> final_block{};
  return EVP_DecryptFinal_ex(ctx_, final_block.data(), &len) == 1 ? GcmOutcome::authenticated
                                                                   : GcmOutcome::tag_mismatch;
}

std::vector<std::uint8_t> AesGcm::encrypt(const Aes128Key& key, std::span<const std::uint8_t> iv,
                                          std::span<const std::uint8_t> aad, std::span<const std::uint8_t> plaintext,
                                          std::size_t tag_bytes) {
  if (tag_bytes > 16) throw std::invalid_argument("a GCM tag has at most 16 bytes");
  int len = 0;
  check(EVP_EncryptInit_ex(ctx_, EVP_aes_128_gcm(), nullptr, nullptr, nullptr), "init");
  check(EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_SET_IVLEN, as_int(iv.size()), nullptr), "IV length");
  check(EVP_EncryptInit_ex(ctx_, nullptr, nullptr, key.data(), iv.data()), "key");
  if (!aad.empty()) check(EVP_EncryptUpdate(ctx_, nullptr, &len, aad.data(), as_int(aad.size())), "AAD");
  std::vector<std::uint8_t> out(plaintext.size() + tag_bytes);
  if (!plaintext.empty())
    check(EVP_EncryptUpdate(ctx_, out.data(), &len, plaintext.data(), as_int(plaintext.size())), "encrypt");
  std::array<std::uint8_t, 16> tag{};
  check(EVP_EncryptFinal_ex(ctx_, tag.data(), &len), "final");
  if (tag_bytes > 0) {
    check(EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_GET_TAG, as_int(tag.size()), tag.data()), "get tag");
    std::copy(tag.begin(), tag.begin() + static_cast<std::ptrdiff_t>(tag_bytes),
              out.begin() + static_cast<std::ptrdiff_t>(plaintext.size()));
  }
  return out;
}

}  // namespace meterd
