#include "bucket.hpp"

#include <algorithm>

#include "energy_step.hpp"

namespace meterd::dashboard {

BucketStart fixed_width(std::int64_t width_ms) {
  return [width_ms](std::int64_t t) {
    const auto q = t / width_ms;
    return (t % width_ms < 0 ? q - 1 : q) * width_ms;
  };
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

std::vector<Bucket> build_buckets(const std::vector<Point>& points, const BucketStart& bucket_start,
                                  const SeriesAccounting& a) {
  std::vector<Bucket> out;
  const Point* previous = nullptr;
  for (const auto& p : points) {
    const auto start = bucket_start(p.t_ms);
    if (out.empty() || out.back().start_ms != start) {
      out.push_back(Bucket{});
      out.back().start_ms = start;
      previous = nullptr;
    }
    auto& b = out.back();
    if (previous) {
      const auto step = step_energy(a.kind, *previous, p, a.factor, a.rules);
      if (auto wh = energy_within_bucket(a.kind, *previous, p, a.factor, a.rules)) b.energy_wh += *wh;
      if (!step.gap) b.covered_ms += p.t_ms - previous->t_ms;
    }
    add_sample(b, p);
    previous = &p;
  }
  return out;
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
    if (previous) {
      const Point from{previous->last_ms, previous->last}, to{c.first_ms, c.first};
      const auto step = step_energy(a.kind, from, to, a.factor, a.rules);
      if (auto wh = energy_within_bucket(a.kind, from, to, a.factor, a.rules)) b.energy_wh += *wh;
      if (!step.gap) b.covered_ms += c.first_ms - previous->last_ms;
    }
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
    b.covered_ms += c.covered_ms;
    previous = &c;
  }
  return out;
}

void add_steps_between(std::vector<Bucket>& buckets, const Bucket* before, const SeriesAccounting& a) {
  const Bucket* previous = before && before->count ? before : nullptr;
  for (auto& b : buckets) {
    if (b.count == 0) continue;
    if (previous) {
      const Point from{previous->last_ms, previous->last}, to{b.first_ms, b.first};
      if (auto wh = energy_across_buckets(a.kind, from, to, a.factor, a.rules)) {
        b.energy_wh += *wh;
        b.covered_ms += b.first_ms - previous->last_ms;
      }
    }
    previous = &b;
  }
}

}  // namespace meterd::dashboard
