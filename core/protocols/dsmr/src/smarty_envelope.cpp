#include "smarty_envelope.hpp"

#include "meterd/aes_gcm.hpp"
#include "meterd/hex.hpp"

namespace meterd::dsmr {
namespace {

constexpr std::size_t kTitleOffset = 2, kTitleSize = 8, kTagSize = 12;

// A DSMR telegram starts with "/" and a printable identification line; random keystream
// output passes this with probability far below one in a million.
bool looks_like_telegram(std::span<const std::uint8_t> p) {
  if (p.empty() || p[0] != '/') return false;
  const std::size_t n = std::min<std::size_t>(p.size(), 24);
  for (std::size_t i = 0; i < n; ++i)
    if (!((p[i] >= 0x20 && p[i] < 0x7F) || p[i] == '\r' || p[i] == '\n')) return false;
  return true;
}

std::size_t length_field_size(std::uint8_t first) { return first == 0x82 ? 3 : first == 0x81 ? 2 : 1; }

}  // namespace

EnvelopeResult open_smarty_envelope(std::span<const std::uint8_t> env, const EnvelopeKeys& keys) {
  EnvelopeResult r;
  if (env.size() < kTitleOffset + kTitleSize + 1) return r;
  const auto title = env.subspan(kTitleOffset, kTitleSize);
  r.system_title = to_hex(title);
  const std::size_t header = kTitleOffset + kTitleSize + length_field_size(env[kTitleOffset + kTitleSize]);
  if (env.size() < header + 5) return r;
  r.security_control = env[header];
  r.frame_counter = static_cast<std::uint32_t>(env[header + 1]) << 24 | static_cast<std::uint32_t>(env[header + 2]) << 16 |
                    static_cast<std::uint32_t>(env[header + 3]) << 8 | env[header + 4];
  const bool has_tag = (r.security_control & 0x10) != 0;
  const std::size_t body = header + 5;
  if (env.size() < body + (has_tag ? kTagSize : 0)) return r;
  if (!keys.encryption) {
    r.status = EnvelopeStatus::no_key;
    return r;
  }
  std::array<std::uint8_t, 12> iv{};
  std::copy(title.begin(), title.end(), iv.begin());
  std::copy(env.begin() + static_cast<std::ptrdiff_t>(header + 1), env.begin() + static_cast<std::ptrdiff_t>(body),
            iv.begin() + kTitleSize);
  const auto ciphertext = env.subspan(body, env.size() - body - (has_tag ? kTagSize : 0));
  std::array<std::uint8_t, 17> aad{};
  aad[0] = r.security_control;
  std::copy(keys.authentication.begin(), keys.authentication.end(), aad.begin() + 1);
  const auto tag = has_tag ? env.last(kTagSize) : std::span<const std::uint8_t>();
  AesGcm cipher;
  const auto outcome = cipher.decrypt(*keys.encryption, iv, has_tag ? std::span<const std::uint8_t>(aad)
                                                                    : std::span<const std::uint8_t>(),
                                      ciphertext, tag, r.plaintext);
  const bool readable = looks_like_telegram(r.plaintext);
  if (has_tag && outcome == GcmOutcome::authenticated) r.status = EnvelopeStatus::authenticated;
  else if (!readable) r.status = EnvelopeStatus::wrong_key;
  else r.status = has_tag ? EnvelopeStatus::authentication_failed : EnvelopeStatus::decrypted;
  return r;
}

}  // namespace meterd::dsmr
