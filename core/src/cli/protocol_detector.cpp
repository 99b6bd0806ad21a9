#include "protocol_detector.hpp"

#include <functional>
#include <vector>

#include "meterd/aes_gcm.hpp"
#include "meterd/hex.hpp"
#ifdef METERD_HAVE_dlms
#include "meterd/dlms/bare_units.hpp"
#include "meterd/dlms/xdlms_apdu.hpp"
#endif
#ifdef METERD_HAVE_dsmr
#include "meterd/dsmr/dsmr_stream_decoder.hpp"
#endif
#ifdef METERD_HAVE_sml
#include "meterd/sml/sml_stream_decoder.hpp"
#endif

namespace meterd::cli {
namespace {

// The shortest prefix of `head` on which `looks_like` says yes, i.e. where the decoder's
// first recognisable start ends. Lets decoders that only answer yes/no compete on position.
std::optional<std::size_t> first_match_end(std::span<const std::uint8_t> head,
                                           const std::function<bool(std::span<const std::uint8_t>)>& looks_like) {
  if (!looks_like(head)) return std::nullopt;
  std::size_t low = 0, high = head.size();  // looks_like(head.first(high)) holds
  while (low + 1 < high) {
    const std::size_t mid = low + (high - low) / 2;
    if (looks_like(head.first(mid))) high = mid; else low = mid;
  }
  return high;
}

}  // namespace

std::optional<std::string> protocol_inside_envelope(std::span<const std::uint8_t> head, const std::string& key_hex) {
#ifdef METERD_HAVE_dlms
  if (key_hex.size() != 32 || head.empty() || head[0] != dlms::kTagGloCiphering) return std::nullopt;
  dlms::CipherHeaderError error;
  const auto envelope = dlms::parse_ciphered_apdu(head, error);
  if (!envelope || envelope->ciphertext.empty()) return std::nullopt;
  Aes128Key key{};
  const auto key_bytes = from_hex(key_hex);
  std::copy(key_bytes.begin(), key_bytes.end(), key.begin());
  std::uint8_t iv[12];
  std::copy(envelope->system_title.begin(), envelope->system_title.end(), iv);
  for (int i = 0; i < 4; ++i) iv[8 + i] = static_cast<std::uint8_t>(envelope->frame_counter >> (24 - 8 * i));
  // GCM is a stream cipher underneath: the first plaintext byte needs only the first ciphertext byte.
  std::vector<std::uint8_t> plaintext;
  AesGcm().decrypt(key, iv, {}, envelope->ciphertext.first(1), {}, plaintext);
  if (plaintext.empty()) return std::nullopt;
  if (plaintext[0] == dlms::kTagDataNotification) return "dlms";
  if (plaintext[0] == '/') return "dsmr";
#else
  (void)head;
  (void)key_hex;
#endif
  return std::nullopt;
}

std::optional<std::size_t> find_dlms_start(std::span<const std::uint8_t> head) {
#ifdef METERD_HAVE_dlms
  // An information field or bare APDU has no start marker: only a whole one at offset 0 counts.
  dlms::AxdrTree scratch;
  const dlms::UnitRead unit = dlms::read_bare_unit(head, std::nullopt, scratch);
  const bool cut_by_head = unit.status == dlms::UnitStatus::need_more && head.size() >= kDetectionHeadBytes;
  if (unit.status == dlms::UnitStatus::ok || cut_by_head) return 1;
#endif
  for (std::size_t i = 0; i + 3 <= head.size(); ++i) {
    const std::uint8_t* p = head.data() + i;
    if (p[0] == 0x7E && (p[1] & 0xF0) == 0xA0) {
      // Frame format type 3 (A0, or A8 when segmented) with an 11-bit length; the closing flag must sit where the length
      // says when the head reaches that far.
      const std::size_t length = (static_cast<std::size_t>(p[1] & 0x07) << 8) | p[2];
      if (length < 7) continue;
      if (i + length + 1 < head.size() && head[i + length + 1] != 0x7E) continue;
      return i + 3;
    }
    if (i + 4 <= head.size() && p[0] == 0x68 && p[1] == p[2] && p[1] >= 3 && p[3] == 0x68) return i + 4;
  }
  return std::nullopt;
}

std::optional<DetectedProtocol> detect_protocol(std::span<const std::uint8_t> head) {
  std::vector<DetectedProtocol> found;
  if (auto end = find_dlms_start(head)) found.push_back({"dlms", *end});
#ifdef METERD_HAVE_dsmr
  if (auto end = first_match_end(head, [](auto h) { return dsmr::DsmrStreamDecoder::looks_like(h); }))
    found.push_back({"dsmr", *end});
#endif
#ifdef METERD_HAVE_sml
  if (auto end = first_match_end(head, [](auto h) { return sml::SmlStreamDecoder::looks_like(h); }))
    found.push_back({"sml", *end});
#endif
  std::optional<DetectedProtocol> best;
  for (auto& f : found)
    if (!best || f.offset < best->offset) best = f;
  return best;
}

}  // namespace meterd::cli
