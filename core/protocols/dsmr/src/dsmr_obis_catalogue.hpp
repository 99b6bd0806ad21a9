#pragma once
// What DSMR objects mean beyond their OBIS: which values are identifiers (kept as text even when
// they look numeric, e.g. tariff "0002"), which are hex-encoded text, which identify the meter.
#include <optional>
#include <string>

#include "dsmr_line_parser.hpp"

namespace meterd::dsmr {

// Identifiers, versions, status words: the value stays the exact text sent.
bool is_identifier_object(const ObisCode& code);

// Equipment ids, logical device name and text messages travel as hex-encoded ASCII.
bool is_hex_id_object(const ObisCode& code);
bool is_text_message_object(const ObisCode& code);

// Lower rank = better meter id source; nothing for objects that do not identify the meter.
// 0-0:96.1.1 (DSMR equipment id), 0-0:96.1.0 (Hungary), 0-0:96.1.255 (EasyMeter), 1-0:0.0.0.
std::optional<int> meter_id_rank(const ObisCode& code);

// EN 13757-3 device type of an M-Bus channel ("003" gas, "007" water, ...) as a quantity name
// for that channel's readings.
std::string mbus_reading_quantity(int device_type);

}  // namespace meterd::dsmr
