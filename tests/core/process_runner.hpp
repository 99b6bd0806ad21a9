#pragma once
// Starts a real child process with its output captured to files, for tests that run the
// `meterd` binary the way a user does.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace meterd::test {

class ProcessRunner {
 public:
  ProcessRunner(std::vector<std::string> argv, std::filesystem::path work_dir);
  ~ProcessRunner();  // kills the child if it is still running

  void signal(int sig);
  // Exit status, or -1 when it did not end in time; a signal death gives 128 + signal.
  int wait(std::chrono::milliseconds timeout);
  std::string output() const;  // stdout and stderr so far
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
  int status_ = -1;
};

// Runs to completion and returns {exit status, output}.
std::pair<int, std::string> run_command(std::vector<std::string> argv, std::filesystem::path work_dir,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(60));

std::filesystem::path fresh_dir(const std::string& name);
void write_file(const std::filesystem::path& p, const std::string& text);
std::string read_file(const std::filesystem::path& p);
std::string meterd_binary();

}  // namespace meterd::test
