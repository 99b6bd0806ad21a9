#pragma once
// Compression of one hour of raw points of one series into a blob:
// timestamps as delta-of-delta (regular 5 s data costs ~0 bits after deflate), values as
// scaled integers (the fewest decimals that represent every value exactly, at most 6) coded
// as deltas, all zigzag varints, then deflate. Lossless for meter data, which has few decimals.
#include <string>
#include <string_view>
#include <vector>

#include "point.hpp"

namespace meterd::dashboard {

// `points` sorted by time, unique timestamps.
std::string encode_points(const std::vector<Point>& points);
// Throws std::runtime_error on a damaged blob.
std::vector<Point> decode_points(std::string_view blob);

// Smallest number of decimals, at least `at_least`, at most 6, that represents `v` exactly.
int decimals_for(double v, int at_least);
std::string deflate_bytes(std::string_view raw);
std::string inflate_bytes(std::string_view compressed);

}  // namespace meterd::dashboard
