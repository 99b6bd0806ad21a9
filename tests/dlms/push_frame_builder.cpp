#include "push_frame_builder.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace dlms_test {
namespace {

void put_length(Bytes& out, std::size_t n) {
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n < 0x100) {
    out.insert(out.end(), {0x81, static_cast<std::uint8_t>(n)});
  } else {
    out.insert(out.end(), {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
  }
}

Bytes big_endian(std::uint8_t tag, std::uint64_t v, int n) {
  Bytes out{tag};
  for (int k = n - 1; k >= 0; --k) out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
  return out;
}

Bytes container(std::uint8_t tag, const std::vector<Bytes>& elements) {
  Bytes out{tag};
  put_length(out, elements.size());
  for (const auto& e : elements) out.insert(out.end(), e.begin(), e.end());
  return out;
}

}  // namespace

namespace axdr {
Bytes structure(std::initializer_list<Bytes> e) { return container(0x02, e); }
Bytes array(std::initializer_list<Bytes> e) { return container(0x01, e); }
Bytes structure_of(const std::vector<Bytes>& e) { return container(0x02, e); }
Bytes u8(std::uint8_t v) { return big_endian(0x11, v, 1); }
Bytes i8(std::int8_t v) { return big_endian(0x0F, static_cast<std::uint8_t>(v), 1); }
Bytes u16(std::uint16_t v) { return big_endian(0x12, v, 2); }
Bytes i16(std::int16_t v) { return big_endian(0x10, static_cast<std::uint16_t>(v), 2); }
Bytes u32(std::uint32_t v) { return big_endian(0x06, v, 4); }
Bytes i32(std::int32_t v) { return big_endian(0x05, static_cast<std::uint32_t>(v), 4); }
Bytes u64(std::uint64_t v) { return big_endian(0x15, v, 8); }
Bytes i64(std::int64_t v) { return big_endian(0x14, static_cast<std::uint64_t>(v), 8); }
Bytes enumerated(std::uint8_t v) { return big_endian(0x16, v, 1); }
Bytes octets(const Bytes& b) {
  Bytes out{0x09};
  put_length(out, b.size());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}
Bytes text(const std::string& s) { return octets(Bytes(s.begin(), s.end())); }
Bytes visible(const std::string& s) {
  Bytes out{0x0A};
  put_length(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}
Bytes obis(int a, int b, int c, int d, int e, int f) {
  return octets({static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b), static_cast<std::uint8_t>(c),
                 static_cast<std::uint8_t>(d), static_cast<std::uint8_t>(e), static_cast<std::uint8_t>(f)});
}
Bytes null_data() { return {0x00}; }
Bytes datetime_raw(int year, int month, int day, int hour, int minute, int second, std::optional<int> deviation,
                   std::uint8_t status, int hundredths) {
  const std::uint16_t dev = deviation ? static_cast<std::uint16_t>(*deviation) : 0x8000;
  return {static_cast<std::uint8_t>(year >> 8), static_cast<std::uint8_t>(year), static_cast<std::uint8_t>(month),
          static_cast<std::uint8_t>(day),       0xFF,
          static_cast<std::uint8_t>(hour),      static_cast<std::uint8_t>(minute),
          static_cast<std::uint8_t>(second),    static_cast<std::uint8_t>(hundredths),
          static_cast<std::uint8_t>(dev >> 8),  static_cast<std::uint8_t>(dev),
          status};
}
Bytes datetime(int year, int month, int day, int hour, int minute, int second, std::optional<int> deviation,
               std::uint8_t status) {
  return octets(datetime_raw(year, month, day, hour, minute, second, deviation, status));
}
}  // namespace axdr

Bytes capture_list_body(const std::vector<CaptureItem>& items) {
  const Bytes push_setup = axdr::obis(0, 8, 25, 9, 0);
  std::vector<Bytes> defs;
  auto def = [](std::uint16_t cls, const Bytes& ln, std::int8_t attr) {
    return axdr::structure({axdr::u16(cls), ln, axdr::i8(attr), axdr::u16(0)});
  };
  defs.push_back(def(40, push_setup, 2));
  defs.push_back(def(40, push_setup, 1));
  for (const auto& it : items) defs.push_back(def(it.class_id, it.obis, it.attribute));
  std::vector<Bytes> elements{container(0x01, defs), push_setup};
  for (const auto& it : items) elements.push_back(it.value);
  return container(0x02, elements);
}

Bytes notification(std::uint32_t invoke_id, const std::optional<Bytes>& dt, const Bytes& body) {
  Bytes out = big_endian(0x0F, invoke_id, 4);
  if (dt) {
    out.push_back(0x0C);
    out.insert(out.end(), dt->begin(), dt->end());
  } else {
    out.push_back(0x00);
  }
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Bytes glo_cipher(const Bytes& plaintext, const Key& ek, const std::optional<Key>& ak, std::uint8_t sc,
                 const Title& st, std::uint32_t fc) {
  std::uint8_t iv[12];
  std::copy(st.begin(), st.end(), iv);
  for (int k = 0; k < 4; ++k) iv[8 + k] = static_cast<std::uint8_t>(fc >> (24 - 8 * k));
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, nullptr, nullptr);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr);
  EVP_EncryptInit_ex(ctx, nullptr, nullptr, ek.data(), iv);
  const bool tagged = (sc & 0x10) != 0;
  if (tagged) {
    Bytes aad{sc};
    aad.insert(aad.end(), ak->begin(), ak->end());
    EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size()));
  }
  Bytes cipher(plaintext.size());
  EVP_EncryptUpdate(ctx, cipher.data(), &len, plaintext.data(), static_cast<int>(plaintext.size()));
  std::uint8_t tag[16];
  EVP_EncryptFinal_ex(ctx, tag, &len);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
  EVP_CIPHER_CTX_free(ctx);
  if (tagged) cipher.insert(cipher.end(), tag, tag + 12);
  Bytes out{0xDB, 0x08};
  out.insert(out.end(), st.begin(), st.end());
  put_length(out, 5 + cipher.size());
  Bytes fcb = big_endian(sc, fc, 4);
  out.insert(out.end(), fcb.begin(), fcb.end());
  out.insert(out.end(), cipher.begin(), cipher.end());
  return out;
}

std::uint16_t crc_x25(const std::uint8_t* p, std::size_t n) {
  // Bitwise on purpose: a second implementation next to the library's table-driven one.
  std::uint16_t crc = 0xFFFF;
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int b = 0; b < 8; ++b) crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0x8408) : crc >> 1;
  }
  return static_cast<std::uint16_t>(~crc);
}

Bytes hdlc_frame(const Bytes& info, bool segmented, Bytes dst, Bytes src, std::uint8_t control) {
  Bytes f;
  const std::size_t length = 2 + dst.size() + src.size() + 1 + 2 + info.size() + 2;
  f.push_back(static_cast<std::uint8_t>(0xA0 | (segmented ? 0x08 : 0) | (length >> 8)));
  f.push_back(static_cast<std::uint8_t>(length));
  f.insert(f.end(), dst.begin(), dst.end());
  f.insert(f.end(), src.begin(), src.end());
  f.push_back(control);
  const std::uint16_t hcs = crc_x25(f.data(), f.size());
  f.push_back(static_cast<std::uint8_t>(hcs));
  f.push_back(static_cast<std::uint8_t>(hcs >> 8));
  f.insert(f.end(), info.begin(), info.end());
  const std::uint16_t fcs = crc_x25(f.data(), f.size());
  f.push_back(static_cast<std::uint8_t>(fcs));
  f.push_back(static_cast<std::uint8_t>(fcs >> 8));
  Bytes out{0x7E};
  out.insert(out.end(), f.begin(), f.end());
  out.push_back(0x7E);
  return out;
}

Bytes gbt_frames(const Bytes& apdu, std::size_t block, const std::vector<int>& order) {
  std::vector<Bytes> frames;
  std::size_t count = (apdu.size() + block - 1) / block;
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t from = k * block, n = std::min(block, apdu.size() - from);
    Bytes info;
    if (k == 0) info = {0xE6, 0xE7, 0x00};
    info.push_back(0xE0);
    info.push_back(k + 1 == count ? 0xC0 : 0x40);
    info.push_back(static_cast<std::uint8_t>((k + 1) >> 8));
    info.push_back(static_cast<std::uint8_t>(k + 1));
    info.insert(info.end(), {0x00, 0x00});
    put_length(info, n);
    info.insert(info.end(), apdu.begin() + static_cast<long>(from), apdu.begin() + static_cast<long>(from + n));
    frames.push_back(hdlc_frame(info));
  }
  Bytes out;
  if (order.empty()) {
    for (const auto& f : frames) out.insert(out.end(), f.begin(), f.end());
  } else {
    for (int k : order) out.insert(out.end(), frames.at(static_cast<std::size_t>(k)).begin(), frames.at(static_cast<std::size_t>(k)).end());
  }
  return out;
}

Bytes hdlc_segments(const Bytes& apdu, std::size_t segment) {
  Bytes all{0xE6, 0xE7, 0x00};
  all.insert(all.end(), apdu.begin(), apdu.end());
  Bytes out;
  for (std::size_t from = 0; from < all.size(); from += segment) {
    const std::size_t n = std::min(segment, all.size() - from);
    const bool more = from + n < all.size();
    const Bytes info(all.begin() + static_cast<long>(from), all.begin() + static_cast<long>(from + n));
    const Bytes f = hdlc_frame(info, more, {0xCF}, {0x02, 0x23}, more ? 0x03 : 0x13);
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

Bytes mbus_frames(const Bytes& apdu, std::size_t segment) {
  Bytes out;
  const std::size_t count = (apdu.size() + segment - 1) / segment;
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t from = k * segment, n = std::min(segment, apdu.size() - from);
    const auto l = static_cast<std::uint8_t>(n + 5);
    const std::uint8_t ci = static_cast<std::uint8_t>(k | (k + 1 == count ? 0x10 : 0x00));
    Bytes body{0x53, 0xFF, ci, 0x01, 0x67};
    body.insert(body.end(), apdu.begin() + static_cast<long>(from), apdu.begin() + static_cast<long>(from + n));
    std::uint8_t cs = 0;
    for (auto b : body) cs = static_cast<std::uint8_t>(cs + b);
    out.insert(out.end(), {0x68, l, l, 0x68});
    out.insert(out.end(), body.begin(), body.end());
    out.insert(out.end(), {cs, 0x16});
  }
  return out;
}

Bytes hdlc_single(const Bytes& apdu) {
  Bytes info{0xE6, 0xE7, 0x00};
  info.insert(info.end(), apdu.begin(), apdu.end());
  return hdlc_frame(info);
}

Key key_from_hex(const std::string& hex) {
  if (hex.size() != 32) throw std::invalid_argument("key");
  Key k{};
  for (std::size_t i = 0; i < 16; ++i) k[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return k;
}

Bytes e450_body(const E450Values& v) {
  using namespace axdr;
  std::vector<CaptureItem> items{
      {1, obis(0, 0, 42, 0, 0), 2, text(v.ldn)},
      {8, obis(0, 0, 1, 0, 0), 2, datetime(v.year, v.month, v.day, v.hour, v.minute, v.second, std::nullopt, 0x81)},
      {3, obis(1, 1, 1, 8, 0), 2, u32(v.a_plus)},
      {3, obis(1, 1, 2, 8, 0), 2, u32(v.a_minus)},
      {3, obis(1, 1, 3, 8, 0), 2, u32(v.r_plus)},
      {3, obis(1, 1, 4, 8, 0), 2, u32(v.r_minus)},
      {3, obis(1, 0, 1, 7, 0), 2, u32(v.p_plus)},
      {3, obis(1, 0, 2, 7, 0), 2, u32(v.p_minus)},
      {3, obis(1, 0, 32, 7, 0), 2, u16(v.u[0])},
      {3, obis(1, 0, 52, 7, 0), 2, u16(v.u[1])},
      {3, obis(1, 0, 72, 7, 0), 2, u16(v.u[2])},
      {3, obis(1, 0, 31, 7, 0), 2, u16(v.i[0])},
      {3, obis(1, 0, 51, 7, 0), 2, u16(v.i[1])},
      {3, obis(1, 0, 71, 7, 0), 2, u16(v.i[2])},
  };
  return capture_list_body(items);
}

}  // namespace dlms_test
