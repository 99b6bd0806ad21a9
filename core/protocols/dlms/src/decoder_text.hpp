#pragma once
// Texts the decoder's diagnostics and its --explain steps share (internal to meterd::dlms).
#include <cstdint>
#include <string>

#include "meterd/dlms/gcm_cipher.hpp"

namespace meterd::dlms {

std::string hex_u8(std::uint8_t v);
std::string hex_u32(std::uint32_t v);
// "4C475A6773781FD0 (LGZ)": hex, and the FLAG manufacturer id when the title starts with one.
std::string system_title_text(const SystemTitle& st);

}  // namespace meterd::dlms
