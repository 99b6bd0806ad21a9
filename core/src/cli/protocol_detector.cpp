#include "protocol_detector.hpp"

#include <functional>
#include <vector>

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

std::optional<std::size_t> find_dlms_start(std::span<const std::uint8_t> head) {
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
