#include "meterd/csv_table/reading_identity.hpp"

namespace meterd::csv_table {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

void mix(std::uint64_t& h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
  // A separator byte keeps ("ab","c") and ("a","bc") apart.
  h ^= 0x1f;
  h *= kFnvPrime;
}

}  // namespace

std::string reading_id(std::string_view meter_id, std::int64_t time_ms, std::string_view quantity,
                       std::string_view tariff) {
  std::uint64_t h = kFnvOffset;
  mix(h, meter_id);
  const std::string time = std::to_string(time_ms);
  mix(h, time);
  mix(h, quantity);
  mix(h, tariff);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = digits[h & 0xf];
  return out;
}

}  // namespace meterd::csv_table
