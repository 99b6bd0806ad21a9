// fuzz-libs: meterd::sml
// Feeds arbitrary bytes to the SML decoder twice, whole and in chunks chosen by the first
// input byte, and aborts when the two runs disagree (chunking invariance) or anything crashes.
#include <cstdint>
#include <span>

#include "chunking_oracle.hpp"
#include "meterd/sml/sml_stream_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 13;
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  meterd::sml::SmlDecoderConfig config;
  config.max_frame_bytes = 2048;
  config.no_frame_report_bytes = 512;
  config.reinterpret_negative_power_as_unsigned = data[0] & 0x80;
  meterd::fuzz::check_chunking_invariance<meterd::sml::SmlStreamDecoder>(config, input, chunk);
  return 0;
}
