#pragma once
// The built `meterd` binary running a config file in a child process, ended with SIGTERM as a
// service manager would end it; and the JSON-lines output of the file sink.
#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

namespace meterd::test_support {

class MeterdProcess {
 public:
  // Starts `meterd --config <config> --log-level warning`. Throws std::runtime_error when fork fails.
  explicit MeterdProcess(const std::filesystem::path& config);
  ~MeterdProcess();
  MeterdProcess(const MeterdProcess&) = delete;
  MeterdProcess& operator=(const MeterdProcess&) = delete;

  // Sends SIGTERM and waits; true when the process exited with status 0.
  bool terminate();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// One JSON document per non-empty line; empty when the file does not exist yet.
std::vector<nlohmann::json> read_json_lines(const std::filesystem::path& file);

}  // namespace meterd::test_support
