// fuzz-libs: meterd::dsmr
// Feeds arbitrary bytes to the DSMR decoder twice, whole and in chunks chosen by the first
// input byte, and aborts when the two runs disagree (chunking invariance) or anything crashes.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "meterd/dsmr/dsmr_stream_decoder.hpp"

namespace {

std::string run(std::span<const std::uint8_t> data, std::size_t chunk) {
  meterd::dsmr::DsmrDecoderConfig config;
  config.encryption_key = "000102030405060708090A0B0C0D0E0F";  // exercises the envelope path
  config.max_telegram_bytes = 2048;
  config.no_telegram_report_bytes = 512;
  meterd::dsmr::DsmrStreamDecoder decoder(config);
  std::string transcript;
  decoder.on_message([&](meterd::DecodedMessage&& m) { transcript += meterd::to_json_line(m) + "\n"; });
  decoder.on_diagnostic([&](meterd::DecoderDiagnostic&& d) { transcript += d.code + ": " + d.message + "\n"; });
  for (std::size_t at = 0; at < data.size(); at += chunk) decoder.feed(data.subspan(at, std::min(chunk, data.size() - at)));
  decoder.finish();
  return transcript;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 17;
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  if (run(input, input.size() + 1) != run(input, chunk)) std::abort();
  return 0;
}
