#pragma once
// DLMS input without a link layer, as gateways and other tools hand it on: an HDLC information
// field (LLC header E6 E7 00 + APDU) or a bare APDU (data-notification, general-glo/ded-ciphering,
// general-block-transfer). APDUs delimit themselves, so a stream of them can be split without
// frames; there is no checksum, so a unit is accepted only when it parses completely.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "meterd/dlms/axdr_reader.hpp"

namespace meterd::dlms {

// Which layer the input starts at. `auto_detect` looks at the first bytes (see docs/decode-cli.md).
enum class Framing { auto_detect, hdlc, mbus, llc, apdu };

const char* framing_name(Framing f);
// "auto", "hdlc", "mbus", "llc" or "apdu"; empty for anything else.
std::optional<Framing> parse_framing(std::string_view text);

inline constexpr std::uint8_t kLlcHeader[] = {0xE6, 0xE7, 0x00};

bool starts_with_llc(std::span<const std::uint8_t> bytes);
// 0F, DB, DC or E0: the APDUs a push consists of.
bool is_push_apdu_tag(std::uint8_t tag);

enum class UnitStatus { ok, need_more, not_a_unit };

struct UnitRead {
  UnitStatus status = UnitStatus::need_more;
  std::size_t size = 0;  // LLC header (when present) + APDU
  bool llc = false;
};

// One unit at the start of `bytes`. `llc`: true = the LLC header is required, false = it must be
// absent, empty = either. `scratch` is used to find where a data-notification's body ends.
UnitRead read_bare_unit(std::span<const std::uint8_t> bytes, std::optional<bool> llc, AxdrTree& scratch);

// True when `bytes` holds a whole HDLC frame or M-Bus long frame whose checksums verify: then a
// link layer is the likelier reading, even when the bytes also parse as an APDU.
bool contains_link_frame(std::span<const std::uint8_t> bytes);

}  // namespace meterd::dlms
