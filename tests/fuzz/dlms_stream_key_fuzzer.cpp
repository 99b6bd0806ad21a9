// fuzz-libs: meterd::dlms
// As dlms_stream_fuzzer, with an encryption and an authentication key configured, so ciphered
// APDUs reach decryption, tag verification and plaintext validation.
#include <cstddef>
#include <cstdint>
#include <span>

#include "meterd/dlms/dlms_stream_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static meterd::dlms::DlmsConfig config = [] {
    meterd::dlms::DlmsConfig c;
    c.encryption_key = meterd::dlms::parse_aes_key("000102030405060708090A0B0C0D0E0F");
    c.authentication_key = meterd::dlms::parse_aes_key("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
    c.max_message_bytes = 4096;
    return c;
  }();
  meterd::dlms::DlmsStreamDecoder decoder(config);
  std::size_t sink = 0;
  decoder.on_message([&](meterd::DecodedMessage&& m) { sink += m.values.size() + m.meter_id.size(); });
  decoder.on_diagnostic([&](meterd::DecoderDiagnostic&& d) { sink += d.message.size(); });
  for (std::size_t pos = 0; pos < size;) {
    const std::size_t n = 1 + data[pos] % 64;  // varied chunk sizes driven by the data itself
    const std::size_t take = pos + n > size ? size - pos : n;
    decoder.feed(std::span<const std::uint8_t>(data + pos, take));
    pos += take;
  }
  decoder.finish();
  return sink == static_cast<std::size_t>(-1) ? 1 : 0;
}
