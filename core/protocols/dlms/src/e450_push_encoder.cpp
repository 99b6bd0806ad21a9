#include "meterd/dlms/e450_push_encoder.hpp"

#include <algorithm>
#include <stdexcept>

#include "meterd/dlms/axdr_writer.hpp"
#include "meterd/dlms/hdlc_frame_writer.hpp"
#include "meterd/dlms/xdlms_apdu.hpp"

namespace meterd::dlms {
namespace {

constexpr std::uint16_t kClassData = 1;
constexpr std::uint16_t kClassRegister = 3;
constexpr std::uint16_t kClassClock = 8;
constexpr std::uint16_t kClassPushSetup = 40;

void write_capture_object(AxdrWriter& w, std::uint16_t class_id, const Obis& code, std::int8_t attribute) {
  w.structure(4).uint16(class_id).obis(code.bytes()).int8(attribute).uint16(0);
}

void write_value(AxdrWriter& w, const PushItem::Value& v) {
  struct Visitor {
    AxdrWriter& w;
    void operator()(std::uint16_t x) const { w.uint16(x); }
    void operator()(std::uint32_t x) const { w.uint32(x); }
    void operator()(std::int16_t x) const { w.int16(x); }
    void operator()(std::int32_t x) const { w.int32(x); }
    void operator()(std::uint64_t x) const { w.uint64(x); }
    void operator()(std::int64_t x) const { w.int64(x); }
    void operator()(const std::string& s) const { w.octet_string(std::string_view(s)); }
    void operator()(const CosemDateTime& t) const {
      const auto bytes = encode_cosem_datetime(t);
      w.octet_string(std::span<const std::uint8_t>(bytes));
    }
  };
  std::visit(Visitor{w}, v);
}

Obis obis(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint8_t e) {
  return Obis{a, b, c, d, e, 255};
}

}  // namespace

std::vector<PushItem> vse2026_e450_items(const E450Readings& r) {
  std::vector<PushItem> items;
  items.reserve(16);
  items.push_back({kClassData, obis(0, 0, 42, 0, 0), 2, r.logical_device_name});
  items.push_back({kClassData, obis(0, 0, 96, 1, 1), 2, r.serial});
  items.push_back({kClassClock, obis(0, 0, 1, 0, 0), 2, r.clock});
  items.push_back({kClassRegister, obis(1, 1, 1, 8, 0), 2, r.active_energy_import_wh});
  items.push_back({kClassRegister, obis(1, 1, 2, 8, 0), 2, r.active_energy_export_wh});
  items.push_back({kClassRegister, obis(1, 1, 3, 8, 0), 2, r.reactive_energy_import_varh});
  items.push_back({kClassRegister, obis(1, 1, 4, 8, 0), 2, r.reactive_energy_export_varh});
  items.push_back({kClassRegister, obis(1, 0, 1, 7, 0), 2, r.active_power_import_w});
  items.push_back({kClassRegister, obis(1, 0, 2, 7, 0), 2, r.active_power_export_w});
  const std::uint8_t voltage_c[3] = {32, 52, 72}, current_c[3] = {31, 51, 71};
  for (int p = 0; p < 3; ++p) items.push_back({kClassRegister, obis(1, 0, voltage_c[p], 7, 0), 2, r.voltage_v[p]});
  for (int p = 0; p < 3; ++p)
    items.push_back({kClassRegister, obis(1, 0, current_c[p], 7, 0), 2, r.current_centiamp[p]});
  return items;
}

std::vector<std::uint8_t> glo_ciphering_apdu(const AesKey& ek, const std::optional<AesKey>& ak, std::uint8_t sc,
                                             const SystemTitle& st, std::uint32_t fc,
                                             std::span<const std::uint8_t> plaintext) {
  const auto sealed = gcm_encrypt(ek, ak, sc, st, fc, plaintext);
  std::vector<std::uint8_t> out;
  out.reserve(sealed.size() + 20);
  out.push_back(kTagGloCiphering);
  out.push_back(static_cast<std::uint8_t>(st.size()));
  out.insert(out.end(), st.begin(), st.end());
  append_axdr_length(out, 5 + sealed.size());
  out.push_back(sc);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(fc >> shift));
  out.insert(out.end(), sealed.begin(), sealed.end());
  return out;
}

E450PushEncoder::E450PushEncoder(E450EncoderOptions options) : options_(std::move(options)) {
  if (options_.max_block_data == 0) throw std::invalid_argument("GBT block size must be positive");
}

std::vector<std::uint8_t> E450PushEncoder::body(const E450Push& push) const {
  std::vector<std::uint8_t> out;
  out.reserve(32 + push.items.size() * 30);
  AxdrWriter w(out);
  const std::size_t count = push.items.size() + 2;  // the push setup's list and its name come first
  w.structure(count).array(count);
  write_capture_object(w, kClassPushSetup, options_.push_setup, 2);
  write_capture_object(w, kClassPushSetup, options_.push_setup, 1);
  for (const PushItem& item : push.items) write_capture_object(w, item.class_id, item.code, item.attribute);
  w.obis(options_.push_setup.bytes());
  for (const PushItem& item : push.items) write_value(w, item.value);
  return out;
}

std::vector<std::uint8_t> E450PushEncoder::notification(const E450Push& push) const {
  std::vector<std::uint8_t> out;
  const auto b = body(push);
  out.reserve(b.size() + 20);
  out.push_back(kTagDataNotification);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(push.invoke_id >> shift));
  if (push.header_time) {
    out.push_back(0x0C);
    const auto t = encode_cosem_datetime(*push.header_time);
    out.insert(out.end(), t.begin(), t.end());
  } else {
    out.push_back(0x00);
  }
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::vector<std::uint8_t> E450PushEncoder::apdu(const E450Push& push) const {
  auto plain = notification(push);
  if (!options_.encryption_key) return plain;
  return glo_ciphering_apdu(*options_.encryption_key, options_.authentication_key, options_.security_control,
                            options_.system_title, push.frame_counter, plain);
}

std::vector<std::uint8_t> E450PushEncoder::encode(const E450Push& push) const {
  const auto a = apdu(push);
  std::vector<std::uint8_t> wire;
  wire.reserve(a.size() + a.size() / 8 + 64);
  std::vector<std::uint8_t> info;
  info.reserve(options_.max_block_data + 16);
  std::size_t pos = 0;
  for (std::uint16_t number = 1; pos < a.size() || number == 1; ++number) {
    const std::size_t index = number - 1u;
    const std::size_t want = index < options_.block_sizes.size() ? options_.block_sizes[index] : options_.max_block_data;
    const std::size_t n = std::min(want, a.size() - pos);
    const bool last = pos + n >= a.size();
    info.clear();
    if (number == 1) info.insert(info.end(), {0xE6, 0xE7, 0x00});
    append_gbt_block(info, last, number, std::span<const std::uint8_t>(a).subspan(pos, n));
    append_hdlc_frame(wire, options_.destination, options_.source, options_.control, info);
    pos += n;
    if (last) break;
  }
  return wire;
}

}  // namespace meterd::dlms
