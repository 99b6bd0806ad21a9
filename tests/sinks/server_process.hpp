#pragma once
// Starts a server (mosquitto, influxd) or a helper as a child process for tests, waits for
// its TCP port, and stops it gracefully or with SIGKILL.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace meterd::test {

// A loopback port that was free a moment ago (bind to port 0, read it, close).
std::uint16_t free_loopback_port();
// True once something accepts TCP connections on 127.0.0.1:port.
bool wait_for_port(std::uint16_t port, std::chrono::milliseconds timeout);

class ServerProcess {
 public:
  // argv[0] is the executable path; stdout and stderr go to `log_file`.
  ServerProcess(std::vector<std::string> argv, std::filesystem::path log_file);
  ~ServerProcess();  // kills the process if it still runs
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  void start();
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));  // SIGTERM, then SIGKILL
  void kill();                                                             // SIGKILL at once
  bool running();
  // Waits for the process to exit on its own; returns its exit status, or -1 on timeout.
  int wait_exit(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }
  std::string log() const;

 private:
  void reap_blocking();
  std::vector<std::string> argv_;
  std::filesystem::path log_file_;
  pid_t pid_ = -1;
};

}  // namespace meterd::test
