#include "meterd_process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace meterd::test_support {

MeterdProcess::MeterdProcess(const std::filesystem::path& config) {
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::execl(METERD_BUILD_DIR "/meterd", "meterd", "--config", config.c_str(), "--log-level", "warning",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
}

MeterdProcess::~MeterdProcess() {
  // A failed assertion must not leave a daemon behind.
  if (pid_ > 0) terminate();
}

bool MeterdProcess::terminate() {
  if (pid_ <= 0) return false;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::vector<nlohmann::json> read_json_lines(const std::filesystem::path& file) {
  std::vector<nlohmann::json> v;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) v.push_back(nlohmann::json::parse(line));
  return v;
}

}  // namespace meterd::test_support
