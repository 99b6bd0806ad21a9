// fuzz-libs: meterd::dlms
// The input-side of `meterd decode`: the first byte chooses the DLMS layer the rest starts at
// (auto, hdlc, mbus, llc, apdu); the decoder must give the same transcript however the bytes are
// chunked, also with --explain's step sink attached. The same bytes read as hex text from a log
// must give the same bytes whole and byte by byte.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "chunking_oracle.hpp"
#include "meterd/dlms/dlms_stream_decoder.hpp"
#include "meterd/hex_log.hpp"

namespace {

std::vector<std::uint8_t> hex_in_pieces(std::span<const std::uint8_t> text, std::size_t piece) {
  meterd::HexLogReader reader;
  std::vector<std::uint8_t> out;
  for (std::size_t at = 0; at < text.size(); at += piece) reader.feed(text.subspan(at, std::min(piece, text.size() - at)), out);
  reader.finish(out);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  using meterd::dlms::Framing;
  constexpr Framing kFramings[] = {Framing::auto_detect, Framing::hdlc, Framing::mbus, Framing::llc, Framing::apdu};
  meterd::dlms::DlmsConfig config;
  config.max_message_bytes = 4096;
  config.framing = kFramings[data[0] % 5];
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  const std::size_t chunk = 1 + (size > 1 ? data[1] % 17 : 0);
  meterd::fuzz::check_chunking_invariance<meterd::dlms::DlmsStreamDecoder>(config, input, chunk);

  meterd::dlms::DlmsStreamDecoder explained(config);
  std::size_t steps = 0;
  explained.on_explain([&](meterd::dlms::ExplainStep&& s) { steps += s.fields.size() + s.layer.size(); });
  explained.on_message([&](meterd::DecodedMessage&& m) { steps += m.values.size(); });
  explained.feed(input);
  explained.finish();

  const auto whole = hex_in_pieces(input, input.size() + 1);
  if (hex_in_pieces(input, chunk) != whole) std::abort();
  meterd::dlms::DlmsStreamDecoder from_text(meterd::dlms::DlmsConfig{});
  from_text.feed(whole);
  from_text.finish();
  return steps == static_cast<std::size_t>(-1) ? 1 : 0;
}
