#include "point_codec.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "varint.hpp"

namespace meterd::dashboard {

namespace {
constexpr std::uint64_t kFormatScaled = 1;
constexpr std::uint64_t kFormatDoubles = 2;  // values too large for scaled 63-bit integers
const double kPow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
}  // namespace

int decimals_for(double v, int at_least) {
  int decimals = at_least;
  while (decimals < 6) {
    const double scaled = v * kPow10[decimals];
    // Only the rounding noise of a double (about 1e-16 relative) may be ignored: a looser
    // tolerance cut 98851.058 kWh to 98851.06, a step of 2 Wh that was never consumed.
    if (std::fabs(scaled - std::round(scaled)) <= 1e-9 * std::max(1.0, std::fabs(scaled))) break;
    ++decimals;
  }
  return decimals;
}

namespace {
// One zlib stream per thread, reset between blobs: initialising a stream allocates and clears
// a few hundred KB, far more work than compressing one hour of points.
struct Deflater {
  z_stream z{};
  Deflater() {
    if (deflateInit(&z, 9) != Z_OK) throw std::runtime_error("deflate failed to start");
  }
  ~Deflater() { deflateEnd(&z); }
};
struct Inflater {
  z_stream z{};
  Inflater() {
    if (inflateInit(&z) != Z_OK) throw std::runtime_error("inflate failed to start");
  }
  ~Inflater() { inflateEnd(&z); }
};
}  // namespace

std::string deflate_bytes(std::string_view raw) {
  thread_local Deflater d;
  std::string out;
  put_varint(out, raw.size());
  const auto header = out.size();
  out.resize(header + deflateBound(&d.z, static_cast<uLong>(raw.size())));
  deflateReset(&d.z);
  d.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  d.z.avail_in = static_cast<uInt>(raw.size());
  d.z.next_out = reinterpret_cast<Bytef*>(out.data() + header);
  d.z.avail_out = static_cast<uInt>(out.size() - header);
  if (deflate(&d.z, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate failed");
  out.resize(header + d.z.total_out);
  return out;
}

std::string inflate_bytes(std::string_view compressed) {
  std::string out;
  inflate_into(compressed, out);
  return out;
}

void inflate_into(std::string_view compressed, std::string& out) {
  thread_local Inflater i;
  VarintReader header(compressed);
  const auto size = header.next();
  if (size > (64u << 20)) throw std::runtime_error("chunk claims an implausible size");
  std::size_t skip = 0;
  while (static_cast<unsigned char>(compressed[skip]) & 0x80) ++skip;
  ++skip;
  out.resize(size);
  inflateReset(&i.z);
  i.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data() + skip));
  i.z.avail_in = static_cast<uInt>(compressed.size() - skip);
  i.z.next_out = reinterpret_cast<Bytef*>(out.data());
  i.z.avail_out = static_cast<uInt>(size);
  // Z_STREAM_END with every byte written: anything else is a damaged blob.
  if (inflate(&i.z, Z_FINISH) != Z_STREAM_END || i.z.total_out != size) throw std::runtime_error("chunk does not inflate");
}

std::string encode_points(const std::vector<Point>& points) {
  std::string raw;
  int decimals = 0;
  for (const auto& p : points) decimals = decimals_for(p.value, decimals);
  bool fits = true;
  for (const auto& p : points) fits = fits && std::isfinite(p.value) && std::fabs(p.value * kPow10[decimals]) < 4e18;
  put_varint(raw, fits ? kFormatScaled : kFormatDoubles);
  put_varint(raw, points.size());
  put_varint(raw, static_cast<std::uint64_t>(decimals));
  std::int64_t prev_t = 0, prev_delta = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto t = points[i].t_ms;
    if (i == 0) {
      put_signed(raw, t);
    } else {
      const auto delta = t - prev_t;
      put_signed(raw, delta - prev_delta);
      prev_delta = delta;
    }
    prev_t = t;
  }
  std::int64_t prev_v = 0;
  for (const auto& p : points) {
    if (fits) {
      const auto v = static_cast<std::int64_t>(std::llround(p.value * kPow10[decimals]));
      put_signed(raw, v - prev_v);
      prev_v = v;
    } else {
      std::uint64_t bits;
      static_assert(sizeof bits == sizeof p.value);
      std::memcpy(&bits, &p.value, sizeof bits);
      put_varint(raw, bits);
    }
  }
  return deflate_bytes(raw);
}

namespace {
bool scaled_exactly(double v, int decimals, std::int64_t& scaled) {
  if (!std::isfinite(v) || decimals_for(v, decimals) > decimals || std::fabs(v * kPow10[decimals]) >= 4e18) return false;
  scaled = static_cast<std::int64_t>(std::llround(v * kPow10[decimals]));
  return true;
}

// A record: zigzag time delta shifted left by one, its low bit set when the value follows as
// the bits of a double instead of a scaled delta.
void put_record(std::string& out, const Point& p, AppendState& state) {
  const auto dt = zigzag(p.t_ms - state.prev_t);
  state.prev_t = p.t_ms;
  std::int64_t scaled = 0;
  if (scaled_exactly(p.value, state.decimals, scaled)) {
    put_varint(out, dt << 1);
    put_signed(out, scaled - state.prev_scaled);
    state.prev_scaled = scaled;
    return;
  }
  std::uint64_t bits;
  std::memcpy(&bits, &p.value, sizeof bits);
  put_varint(out, (dt << 1) | 1);
  put_varint(out, bits);
}

void decode_open(std::string_view blob, std::vector<Point>& points, AppendState* state) {
  VarintReader in(blob.substr(1));
  AppendState s;
  s.decimals = static_cast<int>(in.next());
  if (s.decimals > 6) throw std::runtime_error("chunk header is damaged");
  while (!in.done()) {
    const auto head = in.next();
    Point p;
    s.prev_t += unzigzag(head >> 1);
    p.t_ms = s.prev_t;
    if (head & 1) {
      const std::uint64_t bits = in.next();
      std::memcpy(&p.value, &bits, sizeof bits);
    } else {
      s.prev_scaled += in.next_signed();
      p.value = static_cast<double>(s.prev_scaled) / kPow10[s.decimals];
    }
    points.push_back(p);
  }
  if (state) *state = s;
}
}  // namespace

bool is_open_chunk(std::string_view blob) { return !blob.empty() && blob.front() == '\0'; }

std::string start_open_chunk(const std::vector<Point>& points, AppendState& state) {
  state = AppendState{};
  for (const auto& p : points)
    if (std::isfinite(p.value)) state.decimals = decimals_for(p.value, state.decimals);
  std::string out(1, '\0');
  put_varint(out, static_cast<std::uint64_t>(state.decimals));
  return out + append_records(points, state);
}

std::string append_records(const std::vector<Point>& points, AppendState& state) {
  std::string out;
  out.reserve(points.size() * 4);
  for (const auto& p : points) put_record(out, p, state);
  return out;
}

std::vector<Point> decode_points(std::string_view blob, AppendState* state) {
  std::vector<Point> points;
  decode_points_into(blob, points, state);
  return points;
}

void decode_points_into(std::string_view blob, std::vector<Point>& points, AppendState* state) {
  points.clear();
  if (is_open_chunk(blob)) return decode_open(blob, points, state);
  thread_local std::string raw;
  inflate_into(blob, raw);
  VarintReader in(raw);
  const auto format = in.next();
  if (format != kFormatScaled && format != kFormatDoubles) throw std::runtime_error("unknown chunk format");
  const auto count = in.next();
  const auto decimals = in.next();
  if (decimals > 6 || count > raw.size()) throw std::runtime_error("chunk header is damaged");
  points.resize(count);
  std::int64_t prev_t = 0, prev_delta = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (i == 0) {
      prev_t = in.next_signed();
    } else {
      prev_delta += in.next_signed();
      prev_t += prev_delta;
    }
    points[i].t_ms = prev_t;
  }
  std::int64_t v = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (format == kFormatScaled) {
      v += in.next_signed();
      points[i].value = static_cast<double>(v) / kPow10[decimals];
    } else {
      const std::uint64_t bits = in.next();
      std::memcpy(&points[i].value, &bits, sizeof bits);
    }
  }
}

}  // namespace meterd::dashboard
