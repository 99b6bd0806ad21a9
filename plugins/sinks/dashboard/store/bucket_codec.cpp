#include "bucket_codec.hpp"

#include <cmath>
#include <span>
#include <stdexcept>

#include "point_codec.hpp"
#include "varint.hpp"

namespace meterd::dashboard {

namespace {
const double kPow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

void put_column(std::string& out, const std::vector<Bucket>& buckets, double Bucket::*field, double scale) {
  std::int64_t previous = 0;
  for (const auto& b : buckets) {
    const auto v = static_cast<std::int64_t>(std::llround(b.*field * scale));
    put_signed(out, v - previous);
    previous = v;
  }
}

void get_column(VarintReader& in, std::span<Bucket> buckets, double Bucket::*field, double scale) {
  std::int64_t v = 0;
  for (auto& b : buckets) {
    v += in.next_signed();
    b.*field = static_cast<double>(v) / scale;
  }
}
void decode_columns(VarintReader& in, std::span<Bucket> buckets, double scale);
}  // namespace

std::string encode_buckets(const std::vector<Bucket>& buckets) {
  int decimals = 0;
  for (const auto& b : buckets)
    for (double v : {b.min, b.max, b.first, b.last, b.sum}) decimals = decimals_for(v, decimals);
  const double scale = kPow10[decimals];
  std::string raw;
  put_varint(raw, buckets.size());
  put_varint(raw, static_cast<std::uint64_t>(decimals));
  std::int64_t prev_start = 0, prev_width = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const auto s = buckets[i].start_ms;
    if (i == 0) {
      put_signed(raw, s);
    } else {
      put_signed(raw, (s - prev_start) - prev_width);
      prev_width = s - prev_start;
    }
    prev_start = s;
  }
  std::int64_t prev_count = 0;
  for (const auto& b : buckets) {
    put_signed(raw, static_cast<std::int64_t>(b.count) - prev_count);
    prev_count = b.count;
  }
  for (auto field : {&Bucket::min, &Bucket::max, &Bucket::first, &Bucket::last, &Bucket::sum})
    put_column(raw, buckets, field, scale);
  put_column(raw, buckets, &Bucket::energy_wh, 1000.0);
  for (const auto& b : buckets) {
    put_varint(raw, static_cast<std::uint64_t>(b.first_ms - b.start_ms));
    put_varint(raw, static_cast<std::uint64_t>(b.last_ms - b.first_ms));
  }
  std::int64_t prev_covered = 0;
  for (const auto& b : buckets) {
    put_signed(raw, b.covered_ms - prev_covered);
    prev_covered = b.covered_ms;
  }
  // Added later: blobs written before end here and read as no estimated energy.
  put_column(raw, buckets, &Bucket::estimated_wh, 1000.0);
  std::int64_t prev_gap = 0;
  for (const auto& b : buckets) {
    put_signed(raw, b.gap_ms - prev_gap);
    prev_gap = b.gap_ms;
  }
  return deflate_bytes(raw);
}

std::vector<Bucket> decode_buckets(std::string_view blob) {
  std::vector<Bucket> buckets;
  decode_buckets_into(blob, buckets);
  return buckets;
}

void decode_buckets_into(std::string_view blob, std::vector<Bucket>& out) {
  const std::string raw = inflate_bytes(blob);
  VarintReader in(raw);
  const auto count = in.next();
  const auto decimals = in.next();
  if (decimals > 6 || count > raw.size()) throw std::runtime_error("rollup header is damaged");
  const double scale = kPow10[decimals];
  const auto first = out.size();
  out.resize(first + count);
  try {
    decode_columns(in, std::span<Bucket>(out.data() + first, count), scale);
  } catch (...) {
    out.resize(first);  // nothing of a damaged blob
    throw;
  }
}

namespace {
void decode_columns(VarintReader& in, std::span<Bucket> buckets, double scale) {
  std::int64_t start = 0, width = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    if (i == 0) {
      start = in.next_signed();
    } else {
      width += in.next_signed();
      start += width;
    }
    buckets[i].start_ms = start;
  }
  std::int64_t c = 0;
  for (auto& b : buckets) {
    c += in.next_signed();
    b.count = static_cast<std::uint32_t>(c);
  }
  for (auto field : {&Bucket::min, &Bucket::max, &Bucket::first, &Bucket::last, &Bucket::sum})
    get_column(in, buckets, field, scale);
  get_column(in, buckets, &Bucket::energy_wh, 1000.0);
  for (auto& b : buckets) {
    b.first_ms = b.start_ms + static_cast<std::int64_t>(in.next());
    b.last_ms = b.first_ms + static_cast<std::int64_t>(in.next());
  }
  std::int64_t covered = 0;
  for (auto& b : buckets) {
    covered += in.next_signed();
    b.covered_ms = covered;
  }
  if (in.done()) return;
  get_column(in, buckets, &Bucket::estimated_wh, 1000.0);
  std::int64_t gap = 0;
  for (auto& b : buckets) {
    gap += in.next_signed();
    b.gap_ms = gap;
  }
}
}  // namespace

}  // namespace meterd::dashboard
