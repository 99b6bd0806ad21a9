#include "dsmr_telegram_builder.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <stdexcept>

#include "meterd/crc16.hpp"

namespace meterd::testing {

DsmrTelegramBuilder::DsmrTelegramBuilder(std::string identification) : identification_(std::move(identification)) {}

DsmrTelegramBuilder& DsmrTelegramBuilder::line(std::string text) {
  lines_.push_back(std::move(text));
  return *this;
}

DsmrTelegramBuilder& DsmrTelegramBuilder::line_ending(std::string eol) {
  eol_ = std::move(eol);
  return *this;
}

std::string DsmrTelegramBuilder::build(Crc crc) const {
  std::string t = "/" + identification_ + eol_ + eol_;
  for (const auto& l : lines_) t += l + eol_;
  t += "!";
  if (crc == Crc::absent) return t + eol_;
  std::uint16_t value = crc16_arc({reinterpret_cast<const std::uint8_t*>(t.data()), t.size()});
  if (crc == Crc::wrong) value ^= 0x0101;
  char hex[8];
  std::snprintf(hex, sizeof hex, "%04X", value);
  return t + hex + eol_;
}

std::string sample_dsmr5_telegram(const std::string& timestamp, const std::string& energy) {
  return DsmrTelegramBuilder()
      .line("1-3:0.2.8(50)")
      .line("0-0:1.0.0(" + timestamp + ")")
      .line("0-0:96.1.1(4B384547303034303436333935353037)")
      .line("1-0:1.8.1(" + energy + "*kWh)")
      .line("1-0:1.8.2(000002.399*kWh)")
      .line("0-0:96.14.0(0002)")
      .line("1-0:1.7.0(00.244*kW)")
      .line("1-0:32.7.0(230.1*V)")
      .line("1-0:31.7.0(001*A)")
      .line("0-1:24.1.0(003)")
      .line("0-1:96.1.0(3232323241424344313233343536373839)")
      .line("0-1:24.2.1(230315115500W)(00042.107*m3)")
      .build();
}

std::vector<std::uint8_t> smarty_envelope(const std::string& plaintext, const std::array<std::uint8_t, 16>& ek,
                                          const std::array<std::uint8_t, 16>& ak, const SmartyEnvelopeOptions& o) {
  const bool tagged = (o.security_control & 0x10) != 0;
  std::array<std::uint8_t, 12> iv{};
  std::copy(o.system_title.begin(), o.system_title.end(), iv.begin());
  for (int i = 0; i < 4; ++i) iv[8 + i] = static_cast<std::uint8_t>(o.frame_counter >> (24 - 8 * i));
  std::vector<std::uint8_t> ciphertext(plaintext.size());
  std::array<std::uint8_t, 16> tag{};
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  std::array<std::uint8_t, 17> aad{};
  aad[0] = o.security_control;
  std::copy(ak.begin(), ak.end(), aad.begin() + 1);
  bool ok = EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) == 1 &&
            EVP_EncryptInit_ex(ctx, nullptr, nullptr, ek.data(), iv.data()) == 1 &&
            (!tagged || EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1) &&
            EVP_EncryptUpdate(ctx, ciphertext.data(), &len, reinterpret_cast<const std::uint8_t*>(plaintext.data()),
                              static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx, tag.data(), &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag.data()) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) throw std::runtime_error("test envelope encryption failed");
  if (o.corrupt_tag) tag[0] ^= 0x01;
  const std::size_t length = 5 + ciphertext.size() + (tagged ? 12 : 0);
  std::vector<std::uint8_t> env = {0xDB, 0x08};
  env.insert(env.end(), o.system_title.begin(), o.system_title.end());
  env.insert(env.end(), {0x82, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length & 0xFF)});
  env.push_back(o.security_control);
  env.insert(env.end(), iv.begin() + 8, iv.end());
  env.insert(env.end(), ciphertext.begin(), ciphertext.end());
  if (tagged) env.insert(env.end(), tag.begin(), tag.begin() + 12);
  return env;
}

}  // namespace meterd::testing
