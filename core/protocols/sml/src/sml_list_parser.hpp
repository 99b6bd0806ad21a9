#pragma once
// GetList.Res {clientId?, serverId, listName?, actSensorTime?, valList, listSignature?,
// actGatewayTime?} to a DecodedMessage; each valList entry {objName, status?, valTime?,
// unit?, scaler?, value, valueSignature?} to a DecodedValue.
#include <optional>
#include <string>
#include <vector>

#include "meterd/decoded_message.hpp"
#include "meterd/time_zone.hpp"
#include "sml_tl_reader.hpp"

namespace meterd::sml {

struct ListOptions {
  const TimeZone* zone = nullptr;
  bool reinterpret_negative_power_as_unsigned = false;
};

// Nothing (and a diagnostic) when the body is not a GetList.Res.
std::optional<DecodedMessage> decode_get_list_response(const SmlNode& body, const ListOptions& options,
                                                       std::vector<DecoderDiagnostic>& diagnostics);

// Server ids and text values: readable ASCII as text ("DZG", "1001185"), anything else as hex.
std::string octets_as_text(std::span<const std::uint8_t> bytes);

}  // namespace meterd::sml
