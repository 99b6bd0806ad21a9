#pragma once
// Line settings written the way meter documentation writes them: "2400 8E1" is 2400 baud,
// 8 data bits, even parity, 1 stop bit. The presets cover the meters meterd reads
// (wired M-Bus CII, P1, optical heads); see docs/connect-your-meter.md.
#include <string>
#include <string_view>
#include <vector>

namespace meterd::transport {

enum class Parity { none, even, odd };

struct SerialSettings {
  unsigned baud = 2400;
  int data_bits = 8;
  Parity parity = Parity::even;
  int stop_bits = 1;

  std::string name() const;  // "2400 8E1"
  bool operator==(const SerialSettings&) const = default;
};

// Parses "2400 8E1", "9600 8n1", "115200 8N1", "9600 7E1" (one or more spaces). Throws
// std::invalid_argument naming the accepted forms when the text is not one.
SerialSettings parse_serial_settings(std::string_view text);

// The presets `auto` tries for a wired CII interface, most common first: 2400 8E1 (every L+G
// CII meter seen), 9600 8N1 (DSOs that raised the rate, optical heads), 115200 8N1 (P1-style).
std::vector<SerialSettings> cii_auto_presets();

}  // namespace meterd::transport
