#pragma once
// The user's own positional table for a push list without OBIS codes, from `meterd decode
// --layout FILE` or the e450_cii options `layout` (a file) and `positional` (inline). One entry
// per list element, in order, separated by line breaks or commas:
//   an OBIS code, optionally followed by a decimal scaler ("1-0:31.7.0 -3"),
//   `meter_id`, `time`, or `skip` (also an empty entry); `#` starts a comment.
#include <string_view>

#include "meterd/dlms/dlms_stream_decoder.hpp"

namespace meterd::dlms {

// Sets config.positional_obis (and scaler_overrides for entries with a scaler). Throws
// std::invalid_argument naming the entry at fault and what is accepted.
void apply_positional_layout(std::string_view text, DlmsConfig& config);

}  // namespace meterd::dlms
