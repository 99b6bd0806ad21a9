#pragma once
// Streaming decoder for DSMR P1 telegrams (NTA 8130 / DSMR 2.2 to 5.0.2, Belgian e-MUCS, the
// Austrian, Hungarian, Nordic and Slovenian variants) and for the Luxembourg Smarty AES-GCM
// envelope that wraps a whole telegram. Bytes in, DecodedMessage/DecoderDiagnostic out.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "meterd/stream_decoder.hpp"

namespace meterd::dsmr {

struct DsmrDecoderConfig {
  // Zone the meter's wall-clock timestamps are read in (offset derived from it and the S/W flag).
  std::string time_zone = "Europe/Zurich";
  // Luxembourg Smarty: encryption key from the grid operator, 32 hex digits ("0x", spaces,
  // colons and dashes are tolerated). Empty = none configured.
  std::string encryption_key;
  // Smarty authentication key; the published Luxembourg value unless the operator says otherwise.
  std::string authentication_key = "00112233445566778899AABBCCDDEEFF";
  // Equipment ids (0-x:96.1.x, 0-0:42.0.0) and the meter id as ASCII instead of the hex text sent.
  bool hex_decode_ids = false;
  // A telegram or envelope longer than this is dropped and the reader resynchronises.
  std::size_t max_telegram_bytes = 8192;
  // Bytes without any valid telegram before "check the serial settings" is reported.
  std::size_t no_telegram_report_bytes = 16384;
};

class DsmrStreamDecoder final : public StreamDecoder {
 public:
  // Throws std::invalid_argument when the zone is unknown or a key is not 16 bytes of hex.
  explicit DsmrStreamDecoder(DsmrDecoderConfig config = {});
  ~DsmrStreamDecoder() override;

  std::string_view protocol() const override { return "dsmr"; }
  void feed(std::span<const std::uint8_t> bytes) override;
  void finish() override;
  const DecoderCounters& counters() const override { return counters_; }

  // Cheap sniffing for protocol auto-detection: true when `head` contains the start of a P1
  // telegram ("/XXXn") or of a Smarty envelope (DB 08 <system title> 82 <len> 30).
  static bool looks_like(std::span<const std::uint8_t> head);

 private:
  class Impl;
  friend class Impl;
  DecoderCounters counters_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace meterd::dsmr
