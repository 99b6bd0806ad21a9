#pragma once
// Compression of a run of rollup buckets into one blob, column by column, each column delta
// coded as scaled integers and deflated: the rollups must not cost more disk than raw data.
#include <string>
#include <string_view>
#include <vector>

#include "bucket.hpp"

namespace meterd::dashboard {

// Energy is kept to 1 mWh, times to 1 ms, values exactly (up to 6 decimals).
std::string encode_buckets(const std::vector<Bucket>& buckets);
std::vector<Bucket> decode_buckets(std::string_view blob);
// Appends the blob's buckets to `out`: a read of many blobs fills one vector in place.
void decode_buckets_into(std::string_view blob, std::vector<Bucket>& out);

}  // namespace meterd::dashboard
