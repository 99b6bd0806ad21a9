#include "bucket.hpp"

#include <algorithm>

#include "energy_step.hpp"

namespace meterd::dashboard {

namespace {
std::int64_t floor_to(std::int64_t t, std::int64_t width_ms) {
  const auto q = t / width_ms;
  return (t % width_ms < 0 ? q - 1 : q) * width_ms;
}
}  // namespace

BucketStart fixed_width(std::int64_t width_ms) {
  return [width_ms](std::int64_t t) { return floor_to(t, width_ms); };
}

namespace {
void add_sample(Bucket& b, const Point& p) {
  if (b.count == 0) {
    b.min = b.max = b.first = p.value;
    b.first_ms = p.t_ms;
  }
  b.min = std::min(b.min, p.value);
  b.max = std::max(b.max, p.value);
  b.sum += p.value;
  b.last = p.value;
  b.last_ms = p.t_ms;
  ++b.count;
}
}  // namespace

void add_step(Bucket& b, const Point& from, const Point& to, const SeriesAccounting& a) {
  const auto step = step_energy(a.kind, from, to, a.factor, a.rules);
  if (!step.wh) return;
  b.energy_wh += *step.wh;
  if (step.gap) b.estimated_wh += *step.wh;
  else b.covered_ms += to.t_ms - from.t_ms;
}

namespace {
// Appends the buckets of `points` to `out`; a bucket already there is never continued.
template <class Start>
void build_into(const std::vector<Point>& points, Start bucket_start, const SeriesAccounting& a,
                std::vector<Bucket>& out) {
  const Point* previous = nullptr;
  Bucket* b = nullptr;
  for (const auto& p : points) {
    const auto start = bucket_start(p.t_ms);
    if (!b || b->start_ms != start) {
      b = &out.emplace_back();
      b->start_ms = start;
      b->gap_ms = a.rules.max_gap_ms;
      previous = nullptr;
    }
    if (previous) add_step(*b, *previous, p, a);
    add_sample(*b, p);
    previous = &p;
  }
}
}  // namespace

std::vector<Bucket> build_buckets(const std::vector<Point>& points, const BucketStart& bucket_start,
                                  const SeriesAccounting& a) {
  std::vector<Bucket> out;
  build_into(points, bucket_start, a, out);
  return out;
}

void append_fixed_buckets(const std::vector<Point>& points, std::int64_t width_ms, const SeriesAccounting& a,
                          std::vector<Bucket>& out) {
  // Points mostly fall in the bucket of the one before: no division for those.
  std::int64_t from = 0, to = 0;
  build_into(points, [&](std::int64_t t) {
    if (t < from || t >= to) {
      from = floor_to(t, width_ms);
      to = from + width_ms;
    }
    return from;
  }, a, out);
}

std::vector<Bucket> combine_buckets(const std::vector<Bucket>& children, const BucketStart& bucket_start,
                                    const SeriesAccounting& a) {
  std::vector<Bucket> out;
  const Bucket* previous = nullptr;
  for (const auto& c : children) {
    if (c.count == 0) continue;
    const auto start = bucket_start(c.start_ms);
    if (out.empty() || out.back().start_ms != start) {
      out.push_back(Bucket{});
      out.back().start_ms = start;
      previous = nullptr;
    }
    auto& b = out.back();
    if (previous) add_step(b, {previous->last_ms, previous->last}, {c.first_ms, c.first}, a);
    if (b.count == 0) {
      b.min = c.min;
      b.max = c.max;
      b.first = c.first;
      b.first_ms = c.first_ms;
    }
    b.min = std::min(b.min, c.min);
    b.max = std::max(b.max, c.max);
    b.sum += c.sum;
    b.count += c.count;
    b.last = c.last;
    b.last_ms = c.last_ms;
    b.energy_wh += c.energy_wh;
    b.estimated_wh += c.estimated_wh;
    b.covered_ms += c.covered_ms;
    b.gap_ms = std::max(b.gap_ms, c.gap_ms);
    previous = &c;
  }
  return out;
}

}  // namespace meterd::dashboard
