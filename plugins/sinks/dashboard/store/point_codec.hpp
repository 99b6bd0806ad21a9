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

// The open form of the hour still receiving points: uncompressed records (time delta, value
// delta at the chunk's decimals, or the double itself when a value needs more), so a write
// appends the new points to the stored bytes instead of re-encoding the hour. It starts with
// a zero byte, which no compressed chunk does (their first varint, the raw size, is never 0).
// When the hour ends the chunk is rewritten compressed by encode_points.
struct AppendState {
  int decimals = 0;
  std::int64_t prev_t = 0, prev_scaled = 0;
};
// Header and records of a new open chunk; `state` is set for appending more.
std::string start_open_chunk(const std::vector<Point>& points, AppendState& state);
// Records of `points`, all later than the chunk's last, to append to its bytes.
std::string append_records(const std::vector<Point>& points, AppendState& state);
bool is_open_chunk(std::string_view blob);

// Either form. Throws std::runtime_error on a damaged blob. For an open chunk, `state` (when
// given) receives what appending to it needs.
std::vector<Point> decode_points(std::string_view blob, AppendState* state = nullptr);
// The same into `out` (emptied first), reusing its memory and the thread's inflate buffer: a
// week at 1 min decodes 168 chunks per series, and fresh buffers for each cost as much as
// the decoding.
void decode_points_into(std::string_view blob, std::vector<Point>& out, AppendState* state = nullptr);

// Smallest number of decimals, at least `at_least`, at most 6, that represents `v` exactly.
int decimals_for(double v, int at_least);
std::string deflate_bytes(std::string_view raw);
std::string inflate_bytes(std::string_view compressed);
// The same into `out`, reusing its memory.
void inflate_into(std::string_view compressed, std::string& out);

}  // namespace meterd::dashboard
