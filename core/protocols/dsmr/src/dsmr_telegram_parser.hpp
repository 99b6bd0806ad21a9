#pragma once
// One complete telegram (from "/" through the "!CRC" line) to a DecodedMessage.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "meterd/decoded_message.hpp"
#include "meterd/time_zone.hpp"

namespace meterd::dsmr {

struct TelegramParseOptions {
  const TimeZone* zone = nullptr;  // for the UTC offset of timestamps; none = offset unknown
  bool hex_decode_ids = false;
  // Inside a verified Smarty envelope the GCM tag already proves integrity, and real
  // re-encrypted telegrams are known to carry a stale CRC.
  bool authenticated = false;
};

enum class CrcStatus { verified, absent, mismatch, malformed };

struct ParsedTelegram {
  CrcStatus crc = CrcStatus::absent;
  std::optional<DecodedMessage> message;  // empty when the telegram is rejected
  std::vector<DecoderDiagnostic> diagnostics;
};

ParsedTelegram parse_telegram(std::span<const std::uint8_t> telegram, const TelegramParseOptions& options);

}  // namespace meterd::dsmr
