#include <algorithm>
#include <stdexcept>

#include "meterd/dlms/gcm_cipher.hpp"

namespace meterd::dlms {

std::vector<std::uint8_t> gcm_encrypt(const AesKey& ek, const std::optional<AesKey>& ak, std::uint8_t sc,
                                      const SystemTitle& st, std::uint32_t fc,
                                      std::span<const std::uint8_t> plaintext) {
  const bool authenticated = (sc & kSecurityAuthenticated) != 0;
  if (authenticated && !ak)
    throw std::invalid_argument("security control with the authentication bit needs an authentication key");
  const std::array<std::uint8_t, 12> iv = {st[0], st[1], st[2], st[3], st[4], st[5], st[6], st[7],
                                           static_cast<std::uint8_t>(fc >> 24), static_cast<std::uint8_t>(fc >> 16),
                                           static_cast<std::uint8_t>(fc >> 8), static_cast<std::uint8_t>(fc)};
  // Unauthenticated pushes carry no tag and the meter computes none, so no AAD either.
  std::array<std::uint8_t, 17> aad{};
  if (authenticated) {
    aad[0] = sc;
    std::copy(ak->begin(), ak->end(), aad.begin() + 1);
  }
  AesGcm cipher;
  return cipher.encrypt(ek, iv, authenticated ? std::span<const std::uint8_t>(aad) : std::span<const std::uint8_t>(),
                        plaintext, authenticated ? kGcmTagBytes : 0);
}

}  // namespace meterd::dlms
