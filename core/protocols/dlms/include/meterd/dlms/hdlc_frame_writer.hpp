#pragma once
// Encoding side of the link layers: HDLC type 3 frames, GBT blocks and M-Bus long frames.
#include <cstdint>
#include <span>
#include <vector>

namespace meterd::dlms {

// Appends 7E, format (with S bit and length), addresses, control, HCS, info, FCS, 7E.
// Addresses are given as sent (last byte with bit 0 set). Throws if the frame exceeds 2047 bytes.
void append_hdlc_frame(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> destination,
                       std::span<const std::uint8_t> source, std::uint8_t control, std::span<const std::uint8_t> info,
                       bool segmented = false);

// Appends one general-block-transfer APDU: E0, control (last bit, streaming bit), number, 0000, data.
void append_gbt_block(std::vector<std::uint8_t>& out, bool last, std::uint16_t number,
                      std::span<const std::uint8_t> data, bool streaming = true);

// Appends one M-Bus long frame 68 L L 68 C A CI 01 67 data CS 16 (TSAP bytes added here).
void append_mbus_frame(std::vector<std::uint8_t>& out, std::uint8_t control, std::uint8_t address, std::uint8_t ci,
                       std::span<const std::uint8_t> data);

}  // namespace meterd::dlms
