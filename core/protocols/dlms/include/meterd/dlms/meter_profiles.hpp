#pragma once
// Meter profiles: what a push does not say on the wire. Implied scalers (Swiss CII lists carry
// no scaler_unit), the identity preference, vendor time rules, and positional templates for
// lists without OBIS codes (layout D). Every scaler can be overridden in DlmsConfig.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "meterd/dlms/obis_catalogue.hpp"

namespace meterd::dlms {

// Scaler for every code with this C.D (any A > 0, any B, any E).
struct ImpliedScaler {
  std::uint8_t c, d;
  int scaler;
};

// What one element of a positional list is.
enum class PositionalRole { value, identifier, meter_id, clock, ignore };
enum class PositionalType { any, number, string, date_time };

struct PositionalItem {
  PositionalRole role;
  PositionalType type;
  std::string_view obis;  // empty for elements whose meaning is not known (reported as "unidentified")
  std::optional<int> scaler = std::nullopt;
};

struct PositionalTemplate {
  std::string_view name;
  std::string_view list_id_prefix;  // first element must be a string starting with this (empty: no check)
  std::span<const PositionalItem> items;
};

struct MeterProfile {
  std::string_view name;
  std::string_view description;
  std::span<const ImpliedScaler> scalers;
  std::span<const IdentityRank> id_preference;  // empty: §11.3 default order
  bool standard_time_only = false;               // clock in local standard time all year (Kamstrup)
  std::span<const PositionalTemplate> templates;

  std::optional<int> implied_scaler(const Obis& code) const;
};

const MeterProfile* find_profile(std::string_view name);
const MeterProfile& generic_profile();
std::vector<std::string> profile_names();
std::span<const MeterProfile* const> all_profiles();

// What the transport and the body tell about the meter, for auto-detection.
struct ProfileHints {
  std::string_view manufacturer;  // FLAG id ("LGZ", "ISK", "KFM", "KAM", "AID", "SAG", "SMS"), may be empty
  std::string_view list_id;       // list version id in the body ("KFM_001", "AIDON_V0001"), may be empty
  bool gbt = false;
  bool hdlc_segmented = false;
  bool capture_list = false;     // layout A
  bool wide_integers = false;    // int64/uint64 values (E570)
  bool positional = false;       // no OBIS anchors (layout D candidate)
  // HDLC destination address as sent (0 for M-Bus): E450s use CE FF, E570s CE xx with xx != FF.
  // A detection hint only; frames are never filtered on addresses.
  std::uint32_t hdlc_destination = 0;
};

const MeterProfile& detect_profile(const ProfileHints& hints);

}  // namespace meterd::dlms
