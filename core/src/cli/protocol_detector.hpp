#pragma once
// Guesses which meter protocol a capture holds from its first bytes, for `meterd decode
// --protocol auto`. A capture often starts mid-message (the reader was plugged in while the
// meter was sending), so the earliest plausible start of any protocol wins.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace meterd::cli {

struct DetectedProtocol {
  std::string name;        // "dlms", "dsmr" or "sml"
  std::size_t offset = 0;  // where its first recognisable start ends in the head
};

// How much of the input the detector wants to see before deciding.
inline constexpr std::size_t kDetectionHeadBytes = 1024;

// Empty when nothing in `head` looks like any supported protocol.
std::optional<DetectedProtocol> detect_protocol(std::span<const std::uint8_t> head);

// The first bytes are a general-glo-ciphering envelope (DB 08 ...), which DLMS pushes and the
// Luxembourg Smarty P1 telegrams both use. With the key (32 hex digits) the first plaintext
// bytes tell them apart: "dlms" (a data-notification) or "dsmr" (a telegram "/..."); empty when
// there is no envelope, no key, or neither matches.
std::optional<std::string> protocol_inside_envelope(std::span<const std::uint8_t> head, const std::string& key_hex);

// HDLC type-3 frame start (7E A0/A8 with a plausible length), wired M-Bus long frame start
// (68 L L 68), or at offset 0 a whole LLC header + APDU or bare push APDU. Returns the offset
// just past the recognised start.
std::optional<std::size_t> find_dlms_start(std::span<const std::uint8_t> head);

}  // namespace meterd::cli
