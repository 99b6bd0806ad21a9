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

// HDLC type-3 frame start (7E A0/A8 with a plausible length) or wired M-Bus long frame start
// (68 L L 68). Returns the offset just past the recognised start.
std::optional<std::size_t> find_dlms_start(std::span<const std::uint8_t> head);

}  // namespace meterd::cli
