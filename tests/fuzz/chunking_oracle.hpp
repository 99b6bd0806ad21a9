#pragma once
// The fuzzers' chunking-invariance oracle: a streaming decoder must report the same messages
// and diagnostics however its input is cut into chunks.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "meterd/stream_decoder.hpp"

namespace meterd::fuzz {

// Messages and diagnostics of `decoder` for `data` fed in `chunk`-byte pieces, then finish().
inline std::string chunked_transcript(StreamDecoder& decoder, std::span<const std::uint8_t> data, std::size_t chunk) {
  std::string transcript;
  decoder.on_message([&](DecodedMessage&& m) { transcript += to_json_line(m) + "\n"; });
  decoder.on_diagnostic([&](DecoderDiagnostic&& d) { transcript += d.code + ": " + d.message + "\n"; });
  for (std::size_t at = 0; at < data.size(); at += chunk) decoder.feed(data.subspan(at, std::min(chunk, data.size() - at)));
  decoder.finish();
  return transcript;
}

// Aborts when a fresh `Decoder(config)` fed `input` whole and one fed it in `chunk`-byte pieces disagree.
template <class Decoder, class Config>
void check_chunking_invariance(const Config& config, std::span<const std::uint8_t> input, std::size_t chunk) {
  Decoder whole(config);
  Decoder chunked(config);
  if (chunked_transcript(whole, input, input.size() + 1) != chunked_transcript(chunked, input, chunk)) std::abort();
}

}  // namespace meterd::fuzz
