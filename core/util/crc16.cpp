#include "meterd/crc16.hpp"

#include <array>

namespace meterd {
namespace {

// Both CRCs are reflected, so one table builder serves them with the reflected polynomial.
constexpr std::array<std::uint16_t, 256> make_table(std::uint16_t reflected_poly) {
  std::array<std::uint16_t, 256> t{};
  for (unsigned i = 0; i < 256; ++i) {
    std::uint16_t c = static_cast<std::uint16_t>(i);
    for (int k = 0; k < 8; ++k) c = (c & 1) ? static_cast<std::uint16_t>((c >> 1) ^ reflected_poly) : c >> 1;
    t[i] = c;
  }
  return t;
}

constexpr auto kX25 = make_table(0x8408);
constexpr auto kArc = make_table(0xA001);

std::uint16_t run(const std::array<std::uint16_t, 256>& table, std::uint16_t crc,
                  std::span<const std::uint8_t> bytes) {
  for (std::uint8_t b : bytes) crc = static_cast<std::uint16_t>((crc >> 8) ^ table[(crc ^ b) & 0xFF]);
  return crc;
}

}  // namespace

std::uint16_t crc16_x25(std::span<const std::uint8_t> bytes) {
  return static_cast<std::uint16_t>(run(kX25, 0xFFFF, bytes) ^ 0xFFFF);
}

std::uint16_t crc16_arc(std::span<const std::uint8_t> bytes) { return run(kArc, 0x0000, bytes); }

}  // namespace meterd
