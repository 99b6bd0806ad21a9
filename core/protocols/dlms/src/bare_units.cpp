#include "meterd/dlms/bare_units.hpp"

#include "meterd/dlms/link_frames.hpp"
#include "meterd/dlms/reassembly.hpp"
#include "meterd/dlms/xdlms_apdu.hpp"

namespace meterd::dlms {
namespace {

UnitRead result(UnitStatus s, std::size_t size = 0) { return UnitRead{s, size, false}; }

UnitRead read_notification(std::span<const std::uint8_t> b, AxdrTree& scratch) {
  NotificationError err;
  const auto n = parse_data_notification(b, scratch, false, err);
  if (n) return result(UnitStatus::ok, n->encoded_size);
  // The date-time may be wrapped as octet-string (09 0C): with only the 09 there, wait too.
  const bool cut_off = err == NotificationError::truncated || (err == NotificationError::bad_datetime && b.size() <= 6) ||
                       (err == NotificationError::bad_body && scratch.error() == AxdrError::truncated);
  return result(cut_off ? UnitStatus::need_more : UnitStatus::not_a_unit);
}

UnitRead read_ciphered(std::span<const std::uint8_t> b) {
  if (b.size() < 2) return result(UnitStatus::need_more);
  if (b[1] != 8) return result(UnitStatus::not_a_unit);
  std::size_t pos = 10;
  if (b.size() <= pos) return result(UnitStatus::need_more);
  const auto length = read_axdr_length(b, pos);
  if (!length) return result(b.size() < 15 ? UnitStatus::need_more : UnitStatus::not_a_unit);
  if (*length > b.size() - pos) return result(UnitStatus::need_more);
  CipherHeaderError err;
  const auto c = parse_ciphered_apdu(b, err);
  return c ? result(UnitStatus::ok, c->encoded_size) : result(UnitStatus::not_a_unit);
}

UnitRead read_gbt(std::span<const std::uint8_t> b) {
  if (const auto block = parse_gbt_block(b)) return result(UnitStatus::ok, block->encoded_size);
  std::size_t pos = 6;
  if (b.size() <= pos) return result(UnitStatus::need_more);
  const auto length = read_axdr_length(b, pos);
  if (!length) return result(b.size() < 11 ? UnitStatus::need_more : UnitStatus::not_a_unit);
  return result(*length > b.size() - pos ? UnitStatus::need_more : UnitStatus::not_a_unit);
}

UnitRead read_apdu(std::span<const std::uint8_t> b, AxdrTree& scratch) {
  if (b.empty()) return result(UnitStatus::need_more);
  switch (b[0]) {
    case kTagDataNotification: return read_notification(b, scratch);
    case kTagGloCiphering:
    case kTagDedCiphering: return read_ciphered(b);
    case kTagGeneralBlockTransfer: return read_gbt(b);
    default: return result(UnitStatus::not_a_unit);
  }
}

}  // namespace

const char* framing_name(Framing f) {
  switch (f) {
    case Framing::auto_detect: return "auto";
    case Framing::hdlc: return "hdlc";
    case Framing::mbus: return "mbus";
    case Framing::llc: return "llc";
    case Framing::apdu: return "apdu";
  }
  return "unknown";
}

std::optional<Framing> parse_framing(std::string_view text) {
  for (Framing f : {Framing::auto_detect, Framing::hdlc, Framing::mbus, Framing::llc, Framing::apdu})
    if (text == framing_name(f)) return f;
  return std::nullopt;
}

bool starts_with_llc(std::span<const std::uint8_t> b) {
  return b.size() >= 3 && b[0] == kLlcHeader[0] && b[1] == kLlcHeader[1] && b[2] == kLlcHeader[2];
}

bool is_push_apdu_tag(std::uint8_t tag) {
  return tag == kTagDataNotification || tag == kTagGloCiphering || tag == kTagDedCiphering ||
         tag == kTagGeneralBlockTransfer;
}

UnitRead read_bare_unit(std::span<const std::uint8_t> b, std::optional<bool> llc, AxdrTree& scratch) {
  const std::size_t prefix = std::min<std::size_t>(b.size(), 3);
  const bool llc_so_far = std::equal(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(prefix), kLlcHeader);
  if (llc.value_or(true) && llc_so_far) {
    if (b.size() < 3) return result(UnitStatus::need_more);
    UnitRead r = read_apdu(b.subspan(3), scratch);
    if (r.status == UnitStatus::ok) r.size += 3;
    r.llc = true;
    return r;
  }
  if (llc.value_or(false)) return result(UnitStatus::not_a_unit);
  return read_apdu(b, scratch);
}

bool contains_link_frame(std::span<const std::uint8_t> b) {
  for (std::size_t i = 0; i < b.size(); ++i) {
    const auto rest = b.subspan(i);
    if (b[i] == kHdlcFlag && read_hdlc_frame(rest).status == FrameStatus::ok) return true;
    if (b[i] == kMbusStart && read_mbus_frame(rest).status == FrameStatus::ok) return true;
  }
  return false;
}

}  // namespace meterd::dlms
