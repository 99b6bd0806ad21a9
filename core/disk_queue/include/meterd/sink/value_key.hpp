#pragma once
// The name under which a value appears in JSON states, topics and entity ids: the catalogue
// quantity when the source set one, else the OBIS code in a topic-safe spelling.
#include <string>
#include <string_view>

namespace meterd::sink {

// "1-0:1.8.0" -> "1-0_1_8_0": no ':' or '.', which MQTT topic consumers and Home Assistant
// object ids dislike.
std::string obis_identifier(std::string_view obis);

// Catalogue quantity plus tariff ("active_energy_import" + "HT" -> "active_energy_import_ht")
// when set, else obis_identifier; "value" when neither is known.
std::string value_key(std::string_view quantity, std::string_view obis, std::string_view tariff);

}  // namespace meterd::sink
