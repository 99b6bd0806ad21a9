#include "meterd/transport/serial_settings.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace meterd::transport {
namespace {

// Rates termios can express and meters use; anything else is most likely a typo.
constexpr std::array<unsigned, 9> kBaudRates{300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200};

[[noreturn]] void reject(std::string_view text, const std::string& why) {
  throw std::invalid_argument("serial settings '" + std::string(text) + "': " + why +
                              " (expected e.g. '2400 8E1', '9600 8N1', '115200 8N1' or '9600 7E1')");
}

}  // namespace

std::string SerialSettings::name() const {
  const char p = parity == Parity::none ? 'N' : parity == Parity::even ? 'E' : 'O';
  return std::to_string(baud) + " " + std::to_string(data_bits) + p + std::to_string(stop_bits);
}

SerialSettings parse_serial_settings(std::string_view text) {
  std::size_t i = 0;
  auto skip_space = [&] { while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i; };
  skip_space();
  unsigned long baud = 0;
  const std::size_t digits_start = i;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && i - digits_start < 7)
    baud = baud * 10 + static_cast<unsigned>(text[i++] - '0');
  if (i == digits_start) reject(text, "no baud rate");
  if (std::find(kBaudRates.begin(), kBaudRates.end(), baud) == kBaudRates.end())
    reject(text, "unsupported baud rate " + std::to_string(baud));
  skip_space();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (i > text.size() || text.size() - i != 3) reject(text, "expected data bits, parity and stop bits like 8E1");
  SerialSettings s;
  s.baud = static_cast<unsigned>(baud);
  const char bits = text[i], parity = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i + 1]))),
             stop = text[i + 2];
  if (bits != '7' && bits != '8') reject(text, "data bits must be 7 or 8");
  if (parity != 'N' && parity != 'E' && parity != 'O') reject(text, "parity must be N, E or O");
  if (stop != '1' && stop != '2') reject(text, "stop bits must be 1 or 2");
  s.data_bits = bits - '0';
  s.parity = parity == 'N' ? Parity::none : parity == 'E' ? Parity::even : Parity::odd;
  s.stop_bits = stop - '0';
  return s;
}

std::vector<SerialSettings> cii_auto_presets() {
  return {parse_serial_settings("2400 8E1"), parse_serial_settings("9600 8N1"), parse_serial_settings("115200 8N1")};
}

}  // namespace meterd::transport
