// A process that hosts one sink plugin, feeds it deterministic readings and keeps running,
// so tests can SIGKILL it with readings queued and start it again on the same state dir.
//   sink_runner <plugin> <state_dir> <meter> <first> <count> [option=value ...]
// Prints "consumed <count>" once every reading was handed to the sink, "stopped" after a
// clean stop (on SIGTERM), and every Diagnostic as "DIAG <code> <message>".
#include <signal.h>

#include <iostream>
#include <map>
#include <string>

#include "sink_host.hpp"
#include "test_readings.hpp"

int main(int argc, char** argv) {
  if (argc < 6) {
    std::cerr << "usage: sink_runner <plugin> <state_dir> <meter> <first> <count> [option=value ...]\n";
    return 2;
  }
  std::map<std::string, std::string> settings;
  for (int i = 6; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    settings[arg.substr(0, eq)] = eq == std::string::npos ? "" : arg.substr(eq + 1);
  }
  // Block SIGTERM in every thread the sink starts, then wait for it here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  meterd::test::LoadedPlugin plugin(argv[1]);
  auto hosted = meterd::test::host_sink(plugin, settings, argv[2], true);
  hosted.sink->start();
  const std::int64_t first = std::stoll(argv[4]);
  const std::int64_t count = std::stoll(argv[5]);
  for (std::int64_t n = first; n < first + count; ++n) hosted.sink->consume(meterd::test::make_reading(argv[3], n));
  hosted.sink->flush();
  std::cout << "consumed " << count << std::endl;
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  hosted.sink->stop();
  std::cout << "stopped" << std::endl;
  return 0;
}
