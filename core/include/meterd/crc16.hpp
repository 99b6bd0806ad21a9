#pragma once
// CRC-16 variants used by meter protocols. Table driven; one definition for all decoders.
#include <cstdint>
#include <span>

namespace meterd {

// CRC-16/X-25 (poly 0x1021 reflected, init 0xFFFF, xorout 0xFFFF): HDLC HCS/FCS and SML.
std::uint16_t crc16_x25(std::span<const std::uint8_t> bytes);

// CRC-16/ARC (poly 0x8005 reflected, init 0x0000): DSMR P1 telegrams.
std::uint16_t crc16_arc(std::span<const std::uint8_t> bytes);

}  // namespace meterd
