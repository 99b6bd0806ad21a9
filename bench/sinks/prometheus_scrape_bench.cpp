// Time to serve one Prometheus scrape: rendering the page in-process, and a full GET over a
// loopback socket through meterd::http, for 2 meters and for 100 meters with 20 values each
// (an E450-like push). Prints the median and 90th percentile of the repetitions.
//   prometheus_scrape_bench [repetitions]      (default 200)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "exposition_parser.hpp"
#include "health_table.hpp"
#include "http_probe.hpp"
#include "meter_table.hpp"
#include "metrics_endpoint.hpp"

using namespace meterd::prometheus;
using Clock = std::chrono::steady_clock;

namespace {

struct ValueSpec {
  const char* obis;
  const char* quantity;
  double base;
  const char* unit;
};

// Twenty values as a three-phase meter pushes them.
constexpr ValueSpec kValues[] = {
    {"1-0:1.7.0", "active_power_import", 1200, "W"},   {"1-0:2.7.0", "active_power_export", 0, "W"},
    {"1-0:21.7.0", "active_power_import_l1", 400, "W"}, {"1-0:41.7.0", "active_power_import_l2", 400, "W"},
    {"1-0:61.7.0", "active_power_import_l3", 400, "W"}, {"1-0:32.7.0", "voltage_l1", 230, "V"},
    {"1-0:52.7.0", "voltage_l2", 231, "V"},             {"1-0:72.7.0", "voltage_l3", 229, "V"},
    {"1-0:31.7.0", "current_l1", 1.7, "A"},             {"1-0:51.7.0", "current_l2", 1.8, "A"},
    {"1-0:71.7.0", "current_l3", 1.6, "A"},             {"1-0:13.7.0", "power_factor", 0.97, ""},
    {"1-0:33.7.0", "power_factor_l1", 0.96, ""},        {"1-0:53.7.0", "power_factor_l2", 0.98, ""},
    {"1-0:73.7.0", "power_factor_l3", 0.95, ""},        {"1-0:14.7.0", "frequency", 50.0, "Hz"},
    {"1-0:1.8.0", "active_energy_import", 12345678, "Wh"}, {"1-0:2.8.0", "active_energy_export", 2345678, "Wh"},
    {"1-0:1.8.1", "active_energy_import_ht", 8000000, "Wh"}, {"1-0:3.8.0", "reactive_energy_import", 456789, "varh"},
};

meterd::v1::Reading reading(int meter, int n) {
  meterd::v1::Reading r;
  r.set_meter_id("LGZ" + std::to_string(10000000 + meter));
  for (const ValueSpec& spec : kValues) {
    auto* value = r.add_values();
    value->set_obis(spec.obis);
    value->set_quantity(spec.quantity);
    value->set_number(spec.base + n * 0.1 + meter);
    value->set_unit(spec.unit);
  }
  return r;
}

struct Stats {
  double median_ms, p90_ms;
};

template <typename Work>
Stats time_it(int repetitions, Work work) {
  std::vector<double> ms;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = Clock::now();
    work();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[ms.size() * 9 / 10]};
}

void run(int meters, int repetitions) {
  MeterTable table(std::chrono::seconds(300));
  HealthTable health;
  for (int m = 0; m < meters; ++m) table.update(reading(m, 1), Clock::now());
  // The health part as a small installation reports it.
  for (const char* instance : {"source.kitchen", "sink.influx", "sink.mqtt", "sink.prom"}) {
    meterd::v1::Diagnostic d;
    d.set_code("counters");
    d.set_source(instance);
    for (const char* key : {"in", "out", "errors", "drops", "queue_depth"}) (*d.mutable_counters())[key] = 1234;
    health.update(d);
  }
  EndpointOptions options;
  options.port = 0;
  MetricsEndpoint endpoint(options, table, health);
  endpoint.start();

  // Check once that the page is what it claims before timing it.
  const meterd::test::HttpReply reply = meterd::test::http_get(endpoint.port(), "/metrics");
  const auto page = meterd::test::parse_exposition(reply.body);
  std::size_t series = 0;
  for (const auto& family : page.families) series += family.samples.size();

  const Stats render = time_it(repetitions, [&] { (void)render_metrics(table, health, Clock::now()); });
  const Stats scrape = time_it(repetitions, [&] {
    if (meterd::test::http_get(endpoint.port(), "/metrics").status != 200) std::abort();
  });
  std::printf("%3d meters x 20 values: %5zu series, %7zu bytes | render median %7.3f ms p90 %7.3f ms | "
              "HTTP scrape median %7.3f ms p90 %7.3f ms\n",
              meters, series, reply.body.size(), render.median_ms, render.p90_ms, scrape.median_ms, scrape.p90_ms);
  endpoint.stop();
}

}  // namespace

int main(int argc, char** argv) {
  const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
  std::printf("prometheus scrape, %d repetitions each\n", repetitions);
  run(2, repetitions);
  run(100, repetitions);
  return 0;
}
