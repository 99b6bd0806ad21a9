#pragma once
// Reproducible randomness: a uniform number in [0, 1) from a seed, a time slot and a channel,
// so any instant of a simulation can be computed on its own and in any order.
#include <cstdint>

namespace meterd::simulator {

inline std::uint64_t mix64(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

inline double seeded_noise(std::uint64_t seed, std::int64_t slot, std::uint64_t channel) {
  return static_cast<double>(mix64(seed * 0x100000001B3ULL ^ mix64(static_cast<std::uint64_t>(slot) * 131 + channel)) >> 11) *
         0x1.0p-53;
}

}  // namespace meterd::simulator
