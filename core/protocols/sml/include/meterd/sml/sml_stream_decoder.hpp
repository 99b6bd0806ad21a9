#pragma once
// Streaming decoder for SML 1.04 (German eHZ/EDL meters on the optical interface): transport
// escape framing with CRC-16/X-25, TL-encoded messages, GetList.Res value lists.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "meterd/stream_decoder.hpp"

namespace meterd::sml {

struct SmlDecoderConfig {
  // Zone in which SML UTC timestamps are presented (secIndex-only meters carry no clock time).
  std::string time_zone = "Europe/Zurich";
  // A transport frame longer than this is dropped and the reader resynchronises.
  std::size_t max_frame_bytes = 8192;
  // Bytes without any valid frame before "check the serial settings" is reported.
  std::size_t no_frame_report_bytes = 4096;
  // DZG DVS74xx quirk: power (x.7.0) declared signed but sent unsigned. When set, a negative
  // signed power value is re-read as unsigned of the same width. Only for affected meters: it
  // turns genuine export readings into wrong import readings.
  bool reinterpret_negative_power_as_unsigned = false;
};

class SmlStreamDecoder final : public StreamDecoder {
 public:
  // Throws std::invalid_argument when the zone is unknown or the limits are unusable.
  explicit SmlStreamDecoder(SmlDecoderConfig config = {});
  ~SmlStreamDecoder() override;

  std::string_view protocol() const override { return "sml"; }
  void feed(std::span<const std::uint8_t> bytes) override;
  void finish() override;
  const DecoderCounters& counters() const override { return counters_; }

  // Cheap sniffing for protocol auto-detection: true when `head` contains the SML start
  // sequence 1B1B1B1B 01010101.
  static bool looks_like(std::span<const std::uint8_t> head);

 private:
  class Impl;
  friend class Impl;
  DecoderCounters counters_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace meterd::sml
