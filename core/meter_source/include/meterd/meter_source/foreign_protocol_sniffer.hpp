#pragma once
// Notices when the bytes on a line belong to another meter protocol than the plugin reads,
// so the user is told "use plugin dsmr_p1" instead of watching checksum errors forever.
// P1 and SML are recognised by their decoders' looks_like (telegram start "/XXX5",
// SML escape 1B1B1B1B 01010101); DLMS/CII by a scratch decoder that counts a link frame
// whose checksums hold.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "meterd/meter_source/known_protocols.hpp"
#include "meterd/stream_decoder.hpp"

namespace meterd::meter_source {

class ForeignProtocolSniffer {
 public:
  explicit ForeignProtocolSniffer(Protocol own);
  ~ForeignProtocolSniffer();

  // Forget what was seen: a new connection or another preset starts over.
  void reset();
  // The first foreign protocol recognised in the bytes since reset(), once; afterwards (and
  // once `head_limit` bytes went by without a match) it stays quiet until reset().
  std::optional<Protocol> feed(std::span<const std::uint8_t> bytes);

  static constexpr std::size_t head_limit = 4096;

 private:
  Protocol own_;
  std::vector<std::uint8_t> head_;
  std::unique_ptr<StreamDecoder> dlms_probe_;
  bool done_ = false;
};

}  // namespace meterd::meter_source
