#include "process_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace meterd::test {

ProcessRunner::ProcessRunner(std::vector<std::string> argv, std::filesystem::path work_dir)
    : log_(work_dir / ("process-" + std::to_string(::getpid()) + "-" +
                       std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ".log")) {
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::chdir(work_dir.c_str());
    const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
}

ProcessRunner::~ProcessRunner() {
  if (pid_ > 0 && status_ < 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void ProcessRunner::signal(int sig) { ::kill(pid_, sig); }

int ProcessRunner::wait(std::chrono::milliseconds timeout) {
  if (status_ >= 0) return status_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) {
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      return status_;
    }
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string ProcessRunner::output() const { return read_file(log_); }

std::pair<int, std::string> run_command(std::vector<std::string> argv, std::filesystem::path work_dir,
                                        std::chrono::milliseconds timeout) {
  ProcessRunner p(std::move(argv), work_dir);
  const int status = p.wait(timeout);
  return {status, p.output()};
}

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::path(METERD_BUILD_DIR) / "test-work" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string meterd_binary() { return std::string(METERD_BUILD_DIR) + "/meterd"; }

}  // namespace meterd::test
