#include "aes_gcm.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace meterd::dsmr {
namespace {

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

int as_int(std::size_t n) { return static_cast<int>(n); }

}  // namespace

GcmOutcome aes128_gcm_decrypt(const std::array<std::uint8_t, 16>& key, std::span<const std::uint8_t> iv,
                              std::span<const std::uint8_t> aad, std::span<const std::uint8_t> ciphertext,
                              std::span<const std::uint8_t> tag, std::vector<std::uint8_t>& plaintext) {
  std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) throw std::runtime_error("OpenSSL: cannot allocate a cipher context");
  // Ciphertext is capped by the telegram size limit, so int lengths cannot overflow.
  plaintext.assign(ciphertext.size(), 0);
  int len = 0;
  bool ok = EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, as_int(iv.size()), nullptr) == 1 &&
            EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv.data()) == 1;
  if (ok && !aad.empty()) ok = EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), as_int(aad.size())) == 1;
  if (ok && !ciphertext.empty())
    ok = EVP_DecryptUpdate(ctx.get(), plaintext.data(), &len, ciphertext.data(), as_int(ciphertext.size())) == 1;
  if (!ok) throw std::runtime_error("OpenSSL: AES-128-GCM setup failed");
  if (tag.empty()) return GcmOutcome::not_verified;
  // OpenSSL wants a non-const pointer for the expected tag although it only reads it.
  std::array<std::uint8_t, 16> expected{};
  std::copy(tag.begin(), tag.end(), expected.begin());
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, as_int(tag.size()), expected.data()) != 1)
    throw std::runtime_error("OpenSSL: cannot set the GCM tag");
  std::uint8_t final_block[16];
  return EVP_DecryptFinal_ex(ctx.get(), final_block, &len) == 1 ? GcmOutcome::authenticated
                                                                 : GcmOutcome::tag_mismatch;
}

}  // namespace meterd::dsmr
