// fuzz-libs: meterd::dsmr
// Feeds arbitrary bytes to the DSMR decoder twice, whole and in chunks chosen by the first
// input byte, and aborts when the two runs disagree (chunking invariance) or anything crashes.
#include <cstdint>
#include <span>

#include "chunking_oracle.hpp"
#include "meterd/dsmr/dsmr_stream_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 17;
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  meterd::dsmr::DsmrDecoderConfig config;
  config.encryption_key = "000102030405060708090A0B0C0D0E0F";  // exercises the envelope path
  config.max_telegram_bytes = 2048;
  config.no_telegram_report_bytes = 512;
  meterd::fuzz::check_chunking_invariance<meterd::dsmr::DsmrStreamDecoder>(config, input, chunk);
  return 0;
}
