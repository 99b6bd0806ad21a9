#include <algorithm>
#include <stdexcept>

#include "meterd/dlms/gcm_cipher.hpp"

namespace meterd::dlms {
namespace {

std::array<std::uint8_t, 12> make_iv(const SystemTitle& st, std::uint32_t fc) {
  return {st[0], st[1], st[2], st[3], st[4], st[5], st[6], st[7], static_cast<std::uint8_t>(fc >> 24),
          static_cast<std::uint8_t>(fc >> 16), static_cast<std::uint8_t>(fc >> 8), static_cast<std::uint8_t>(fc)};
}

}  // namespace

bool GcmDecryptor::decrypt(const AesKey& ek, const SystemTitle& st, std::uint32_t fc,
                           std::span<const std::uint8_t> ciphertext, std::vector<std::uint8_t>& plaintext) {
  // Without a tag GCM decryption is the CTR keystream from IV || 00000002, which is what
  // meters whose operator never issued the AK need.
  const auto iv = make_iv(st, fc);
  try {
    cipher_.decrypt(ek, iv, {}, ciphertext, {}, plaintext);
  } catch (const std::runtime_error&) {
    return false;
  }
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
  try {
    return cipher_.decrypt(ek, iv, aad, ciphertext, tag, scratch_) == GcmOutcome::authenticated;
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace meterd::dlms
