// Bus throughput and latency of Readings, inproc and over tcp.
//   bus_bench [repetitions]
// Throughput: one publisher thread sends as fast as the bus takes them, one subscriber
// consumes and parses; the rate is messages fully received per second.
// Latency: 1,000 readings/s paced for a few seconds, each carrying its send time (steady
// clock, ns); p50 and p99 of receive minus send.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "meterd/runtime/bus.hpp"
#include "meterd/v1/bus.pb.h"

using namespace meterd;
using clk = std::chrono::steady_clock;

namespace {

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(clk::now().time_since_epoch()).count());
}

// A push of the size an E450 sends: ten values.
v1::Reading sample_reading() {
  v1::Reading r;
  r.set_meter_id("LGZ1030655933512");
  r.set_source("kitchen");
  r.set_received_ms(1700000000000);
  const char* obis[] = {"1-0:1.7.0", "1-0:2.7.0", "1-0:1.8.0", "1-0:2.8.0", "1-0:32.7.0",
                        "1-0:52.7.0", "1-0:72.7.0", "1-0:31.7.0", "1-0:51.7.0", "1-0:71.7.0"};
  for (int i = 0; i < 10; ++i) {
    auto* v = r.add_values();
    v->set_obis(obis[i]);
    v->set_number(1234.5 + i);
    v->set_unit("W");
  }
  return r;
}

struct Pair {
  std::unique_ptr<Bus> publisher_bus, subscriber_bus;
  std::unique_ptr<BusSubscriber> sub;
};

Pair make_pair(bool tcp) {
  Pair p;
  BusOptions o;
  o.high_water_mark = 200000;
  o.block_ms = 10000;
  if (!tcp) {
    p.publisher_bus = std::make_unique<Bus>(o);
    p.sub = p.publisher_bus->subscribe({"R/"});
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return p;
  }
  o.export_endpoints = {"tcp://127.0.0.1:47955"};
  o.export_wait_ms = 5000;
  p.publisher_bus = std::make_unique<Bus>(o);
  BusOptions s;
  s.high_water_mark = 200000;
  s.import_endpoints = {"tcp://127.0.0.1:47955"};
  p.subscriber_bus = std::make_unique<Bus>(s);
  p.sub = p.subscriber_bus->subscribe({"R/"});
  p.subscriber_bus->start();
  p.publisher_bus->start();
  return p;
}

// CPU time of the calling thread: on a shared machine it measures what one core can do,
// where wall time also counts the time other processes held the core.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Rate {
  double wall;  // messages per wall-clock second
  double cpu;   // messages per CPU second of the busier of the two threads
};

Rate throughput(bool tcp, int n) {
  Pair p = make_pair(tcp);
  const v1::Reading r = sample_reading();
  double producer_cpu = 0;
  std::thread producer([&] {
    const double c0 = thread_cpu_seconds();
    for (int i = 0; i < n; ++i) p.publisher_bus->publish("R/kitchen/LGZ1030655933512", r);
    producer_cpu = thread_cpu_seconds() - c0;
  });
  BusMessage m;
  v1::Reading in;
  int got = 0;
  const auto start = clk::now();
  const double c0 = thread_cpu_seconds();
  while (got < n && p.sub->receive(m, 2000)) {
    in.ParseFromArray(m.payload.data(), static_cast<int>(m.payload.size()));
    ++got;
  }
  const double consumer_cpu = thread_cpu_seconds() - c0;
  const double secs = std::chrono::duration<double>(clk::now() - start).count();
  producer.join();
  if (got != n) std::fprintf(stderr, "lost %d of %d messages\n", n - got, n);
  // Waiting on a full queue costs the producer wall time but little CPU; the consumer's CPU
  // time is the cost of the whole path, the producer's its half.
  return {got / secs, got / std::max(producer_cpu, consumer_cpu)};
}

std::pair<double, double> latency_us(bool tcp, int rate, int seconds) {
  Pair p = make_pair(tcp);
  v1::Reading r = sample_reading();
  const int n = rate * seconds;
  std::vector<double> lat;
  lat.reserve(n);
  std::thread producer([&] {
    const auto start = clk::now();
    for (int i = 0; i < n; ++i) {
      std::this_thread::sleep_until(start + std::chrono::microseconds(1000000LL * i / rate));
      r.set_sequence(now_ns());
      p.publisher_bus->publish("R/kitchen/LGZ1030655933512", r);
    }
  });
  BusMessage m;
  v1::Reading in;
  while (static_cast<int>(lat.size()) < n && p.sub->receive(m, 2000)) {
    in.ParseFromArray(m.payload.data(), static_cast<int>(m.payload.size()));
    lat.push_back((now_ns() - in.sequence()) / 1000.0);
  }
  producer.join();
  std::sort(lat.begin(), lat.end());
  return {lat[lat.size() / 2], lat[lat.size() * 99 / 100]};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::atoi(argv[1]) : 5;
  for (bool tcp : {false, true}) {
    std::vector<double> rates, cpu_rates, p50s, p99s;
    for (int i = 0; i < reps; ++i) {
      const Rate r = throughput(tcp, 500000);
      rates.push_back(r.wall);
      cpu_rates.push_back(r.cpu);
    }
    for (int i = 0; i < reps; ++i) {
      auto [p50, p99] = latency_us(tcp, 1000, 3);
      p50s.push_back(p50);
      p99s.push_back(p99);
    }
    std::printf("%-7s throughput %9.0f readings/s wall, %9.0f per CPU-second (median of %d); "
                "latency at 1000/s: p50 %7.1f us, p99 %7.1f us\n",
                tcp ? "tcp" : "inproc", median(rates), median(cpu_rates), reps, median(p50s), median(p99s));
  }
}
