#pragma once
// Synthetic DSMR telegrams and Smarty envelopes for tests, including broken ones.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace meterd::testing {

class DsmrTelegramBuilder {
 public:
  enum class Crc { valid, absent, wrong };

  explicit DsmrTelegramBuilder(std::string identification = "ISk5\\2MT382-1000");
  DsmrTelegramBuilder& line(std::string text);
  DsmrTelegramBuilder& line_ending(std::string eol);  // "\r\n" by default
  // "/" + identification, empty line, data lines, "!" + CRC (or none, or a wrong one).
  std::string build(Crc crc = Crc::valid) const;

 private:
  std::string identification_;
  std::vector<std::string> lines_;
  std::string eol_ = "\r\n";
};

// A typical DSMR 5 telegram with the given timestamp and import energy.
std::string sample_dsmr5_telegram(const std::string& timestamp = "230315120000W", const std::string& energy = "001234.567");

struct SmartyEnvelopeOptions {
  std::array<std::uint8_t, 8> system_title = {'S', 'A', 'G', 'g', 'p', 0x00, 0x12, 0x34};
  std::uint32_t frame_counter = 0x10000001;
  std::uint8_t security_control = 0x30;
  bool corrupt_tag = false;
};

// Encrypts `plaintext` into a Luxembourg Smarty envelope with AES-128-GCM.
std::vector<std::uint8_t> smarty_envelope(const std::string& plaintext, const std::array<std::uint8_t, 16>& ek,
                                          const std::array<std::uint8_t, 16>& ak,
                                          const SmartyEnvelopeOptions& options = {});

}  // namespace meterd::testing
