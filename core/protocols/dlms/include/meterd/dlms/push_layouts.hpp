#pragma once
// The four notification-body layouts (protocols.md §10) turned into DecodedValues:
//   A capture-object list + values, B OBIS/value pairs, C OBIS/value/scaler-unit triples,
//   D values only, meaning from a positional template.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "meterd/decoded_message.hpp"
#include "meterd/dlms/axdr_reader.hpp"
#include "meterd/dlms/cosem_datetime.hpp"
#include "meterd/dlms/meter_profiles.hpp"
#include "meterd/dlms/obis_catalogue.hpp"

namespace meterd::dlms {

enum class BodyLayout { capture_list, obis_pairs, obis_triples, positional, unsupported };
const char* body_layout_name(BodyLayout l);

struct ScalerOverride {
  Obis code;  // matched on A, C, D, E (B ignored, like the catalogue)
  int scaler;
};

struct LayoutOptions {
  const MeterProfile* profile = nullptr;  // nullptr: detect per message
  ProfileHints transport;                 // gbt / segmentation / system-title manufacturer
  std::span<const ScalerOverride> scaler_overrides;
  std::span<const std::string> positional_obis;  // user template for layout D (see DlmsConfig)
};

struct PushContent {
  BodyLayout layout = BodyLayout::unsupported;
  const MeterProfile* profile = nullptr;
  std::string_view template_name;  // layout D
  std::vector<DecodedValue> values;
  std::string meter_id;                // best identity found in the body, empty if none
  std::optional<CosemDateTime> clock;  // clock object (or a list's leading date-time)
  void clear();
};

// Decodes the parsed body (`tree` holds exactly one Data). Returns false for "unsupported layout".
bool decode_push_body(const AxdrTree& tree, const LayoutOptions& options, PushContent& out);

// Textual form of an identifier value: printable ASCII as text, anything else as hex.
std::string identifier_text(std::span<const std::uint8_t> bytes);

}  // namespace meterd::dlms
