// Readings per second through the influxdb and mqtt sinks against real local servers, live
// and as a replay of a queue filled during an outage, with the peak RSS of this process.
//   sink_throughput [readings]      (default 50000)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

#include "influx_server.hpp"
#include "mosquitto_server.hpp"
#include "sink_host.hpp"
#include "temp_dir.hpp"
#include "test_readings.hpp"
#include "wait_until.hpp"

using namespace meterd::test;
using meterd::test_support::TempDir;
using Clock = std::chrono::steady_clock;

namespace {

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void report(const char* what, long readings, double seconds) {
  std::printf("%-28s %8ld readings in %6.2f s = %9.0f readings/s, peak RSS %ld KiB\n", what, readings, seconds,
              static_cast<double>(readings) / seconds, peak_rss_kib());
}

// Live: readings flow while the server is up. Replay: they queue during an outage first.
void measure(const char* name, HostedSink& hosted, long readings, long first, const std::function<long()>& delivered,
             const std::function<void()>& stop_server, const std::function<void()>& start_server) {
  auto start = Clock::now();
  for (long n = first; n < first + readings; ++n) hosted.sink->consume(make_reading("bench", n));
  wait_until([&] { return delivered() >= first + readings; }, std::chrono::minutes(5));
  report((std::string(name) + " live").c_str(), readings, seconds_since(start));

  stop_server();
  for (long n = first + readings; n < first + 2 * readings; ++n) hosted.sink->consume(make_reading("bench", n));
  hosted.sink->flush();
  start = Clock::now();
  start_server();
  wait_until([&] { return delivered() >= first + 2 * readings; }, std::chrono::minutes(5));
  report((std::string(name) + " replay after outage").c_str(), readings, seconds_since(start));
}

}  // namespace

int main(int argc, char** argv) {
  const long readings = argc > 1 ? std::stol(argv[1]) : 50000;
  TempDir dir;
  {
    InfluxServer influx(dir.path() / "influx");
    influx.start();
    influx.query("CREATE DATABASE meterd");
    LoadedPlugin plugin("influxdb");
    auto hosted = host_sink(plugin, {{"url", influx.url()}, {"retry_initial_ms", "100"}, {"retry_max_ms", "500"}},
                            dir.path() / "influx-state");
    hosted.sink->start();
    const auto delivered = [&] { return static_cast<long>(hosted.context->counters().out); };
    measure("influxdb", hosted, readings, 0, delivered, [&] { influx.stop(); }, [&] { influx.start(); });
    hosted.sink->stop();
  }
  {
    MosquittoServer broker(dir.path() / "broker");
    broker.start();
    LoadedPlugin plugin("mqtt");
    auto hosted = host_sink(plugin, {{"port", std::to_string(broker.port())}, {"batch_size", "500"},
                                     {"retry_initial_ms", "100"}, {"retry_max_ms", "500"}},
                            dir.path() / "mqtt-state");
    hosted.sink->start();
    const auto delivered = [&] { return static_cast<long>(hosted.context->counters().out); };
    measure("mqtt", hosted, readings, 0, delivered, [&] { broker.stop(); }, [&] { broker.start(); });
    hosted.sink->stop();
  }
  return 0;
}
