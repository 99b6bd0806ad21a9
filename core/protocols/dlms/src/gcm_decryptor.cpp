#include <openssl/evp.h>

#include <algorithm>
#include <new>

#include "meterd/dlms/gcm_cipher.hpp"

namespace meterd::dlms {
namespace {

std::array<std::uint8_t, 12> make_iv(const SystemTitle& st, std::uint32_t fc) {
  return {st[0], st[1], st[2], st[3], st[4], st[5], st[6], st[7], static_cast<std::uint8_t>(fc >> 24),
          static_cast<std::uint8_t>(fc >> 16), static_cast<std::uint8_t>(fc >> 8), static_cast<std::uint8_t>(fc)};
}

}  // namespace

GcmDecryptor::GcmDecryptor() : ctr_(EVP_CIPHER_CTX_new()), gcm_(EVP_CIPHER_CTX_new()) {
  if (!ctr_ || !gcm_) {
    EVP_CIPHER_CTX_free(ctr_);
    EVP_CIPHER_CTX_free(gcm_);
    throw std::bad_alloc();
  }
}

GcmDecryptor::~GcmDecryptor() {
  EVP_CIPHER_CTX_free(ctr_);
  EVP_CIPHER_CTX_free(gcm_);
}

bool GcmDecryptor::decrypt(const AesKey& ek, const SystemTitle& st, std::uint32_t fc,
                           std::span<const std::uint8_t> ciphertext, std::vector<std::uint8_t>& plaintext) {
  // GCM encrypts data with the counter starting one after J0 = IV || 00000001.
  std::array<std::uint8_t, 16> counter{};
  const auto iv = make_iv(st, fc);
  std::copy(iv.begin(), iv.end(), counter.begin());
  counter[15] = 0x02;
  plaintext.resize(ciphertext.size());
  if (EVP_DecryptInit_ex(ctr_, EVP_aes_128_ctr(), nullptr, ek.data(), counter.data()) != 1) return false;
  int out_len = 0;
  if (!ciphertext.empty() &&
      EVP_DecryptUpdate(ctr_, plaintext.data(), &out_len, ciphertext.data(), static_cast<int>(ciphertext.size())) != 1)
    return false;
  return true;
}

bool GcmDecryptor::verify_tag(const AesKey& ek, const AesKey& ak, std::uint8_t sc, const SystemTitle& st,
                              std::uint32_t fc, std::span<const std::uint8_t> ciphertext,
                              std::span<const std::uint8_t> tag) {
  if (tag.size() != kGcmTagBytes) return false;
  const auto iv = make_iv(st, fc);
  std::array<std::uint8_t, 17> aad{};
  aad[0] = sc;
  std::copy(ak.begin(), ak.end(), aad.begin() + 1);
  if (EVP_DecryptInit_ex(gcm_, EVP_aes_128_gcm(), nullptr, nullptr, nullptr) != 1) return false;
  if (EVP_CIPHER_CTX_ctrl(gcm_, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr) != 1) return false;
  if (EVP_DecryptInit_ex(gcm_, nullptr, nullptr, ek.data(), iv.data()) != 1) return false;
  int len = 0;
  if (EVP_DecryptUpdate(gcm_, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) return false;
  // The plaintext is not needed here; decrypt in slices into a small scratch buffer.
  std::array<std::uint8_t, 256> scratch;
  for (std::size_t off = 0; off < ciphertext.size(); off += scratch.size()) {
    const std::size_t n = std::min(scratch.size(), ciphertext.size() - off);
    if (EVP_DecryptUpdate(gcm_, scratch.data(), &len, ciphertext.data() + off, static_cast<int>(n)) != 1) return false;
  }
  std::array<std::uint8_t, kGcmTagBytes> expected{};
  std::copy(tag.begin(), tag.end(), expected.begin());
  if (EVP_CIPHER_CTX_ctrl(gcm_, EVP_CTRL_GCM_SET_TAG, static_cast<int>(expected.size()), expected.data()) != 1)
    return false;
  return EVP_DecryptFinal_ex(gcm_, scratch.data(), &len) == 1;
}

}  // namespace meterd::dlms
