// fuzz-libs: meterd::dlms
// Arbitrary bytes into the DLMS stream decoder without keys, split at a data-driven point so
// the chunked paths are exercised too.
#include <cstddef>
#include <cstdint>
#include <span>

#include "meterd/dlms/dlms_stream_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static meterd::dlms::DlmsConfig config = [] {
    meterd::dlms::DlmsConfig c;
    c.max_message_bytes = 4096;
    return c;
  }();
  meterd::dlms::DlmsStreamDecoder decoder(config);
  std::size_t sink = 0;
  decoder.on_message([&](meterd::DecodedMessage&& m) { sink += m.values.size() + m.meter_id.size(); });
  decoder.on_diagnostic([&](meterd::DecoderDiagnostic&& d) { sink += d.message.size(); });
  const std::span<const std::uint8_t> all(data, size);
  const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
  decoder.feed(all.first(cut));
  decoder.feed(all.subspan(cut));
  decoder.finish();
  return sink == static_cast<std::size_t>(-1) ? 1 : 0;
}
