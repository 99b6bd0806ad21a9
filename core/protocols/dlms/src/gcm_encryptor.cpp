#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "meterd/dlms/gcm_cipher.hpp"

namespace meterd::dlms {

std::vector<std::uint8_t> gcm_encrypt(const AesKey& ek, const std::optional<AesKey>& ak, std::uint8_t sc,
                                      const SystemTitle& st, std::uint32_t fc,
                                      std::span<const std::uint8_t> plaintext) {
  const bool authenticated = (sc & kSecurityAuthenticated) != 0;
  if (authenticated && !ak)
    throw std::invalid_argument("security control with the authentication bit needs an authentication key");
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  if (!ctx) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  const std::array<std::uint8_t, 12> iv = {st[0], st[1], st[2], st[3], st[4], st[5], st[6], st[7],
                                           static_cast<std::uint8_t>(fc >> 24), static_cast<std::uint8_t>(fc >> 16),
                                           static_cast<std::uint8_t>(fc >> 8), static_cast<std::uint8_t>(fc)};
  auto check = [](int rc) {
    if (rc != 1) throw std::runtime_error("AES-GCM encryption failed in OpenSSL");
  };
  check(EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr));
  check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr));
  check(EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, ek.data(), iv.data()));
  int len = 0;
  if (authenticated) {
    std::array<std::uint8_t, 17> aad{};
    aad[0] = sc;
    std::copy(ak->begin(), ak->end(), aad.begin() + 1);
    check(EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())));
  }
  std::vector<std::uint8_t> out(plaintext.size() + (authenticated ? kGcmTagBytes : 0));
  if (!plaintext.empty())
    check(EVP_EncryptUpdate(ctx.get(), out.data(), &len, plaintext.data(), static_cast<int>(plaintext.size())));
  std::array<std::uint8_t, 16> tag{};
  check(EVP_EncryptFinal_ex(ctx.get(), tag.data(), &len));
  if (authenticated) {
    check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag.size()), tag.data()));
    std::copy(tag.begin(), tag.begin() + kGcmTagBytes, out.begin() + static_cast<std::ptrdiff_t>(plaintext.size()));
  }
  return out;
}

}  // namespace meterd::dlms
