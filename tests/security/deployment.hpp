#pragma once
// One real meterd on loopback, the simulator feeding its dashboard, started by a test the way
// an operator would run it, plus the client side of the attacks: requests from a chosen
// loopback address (127.0.0.2 stands in for another client) and a prober that keeps asking
// a normal question from that other address while an attack runs.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http_test_client.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace meterd::security_test {

using http::testing::Reply;

inline constexpr const char* kPassword = "correct horse battery staple";
inline constexpr const char* kOther = "127.0.0.2";  // the bystander's address
inline const std::string kHouse = "SIM-house", kHeatPump = "SIM-heat_pump";

class Deployment {
 public:
  // `extra` lines go into the dashboard's section (limits, trusted_proxies, ...).
  explicit Deployment(const std::string& extra = "", std::optional<unsigned> umask = std::nullopt);

  unsigned short port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path state() const { return dir_.path() / "state" / "sink.dash"; }
  std::string log() const { return process_->log(); }
  // Waits until the log contains `text`.
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const;

  Reply get(const std::string& target, const std::string& from = "127.0.0.1", bool admin = false) const;
  Reply post(const std::string& target, const nlohmann::json& body, const std::string& from = "127.0.0.1",
             bool admin = false, const std::vector<std::pair<std::string, std::string>>& extra = {}) const;
  Reply del(const std::string& target, const std::string& from = "127.0.0.1") const;
  std::string login(const std::string& from = "127.0.0.1");
  const std::string& cookie() const { return cookie_; }
  // Creates a share; returns {id, token}.
  std::pair<std::string, std::string> share(const nlohmann::json& spec);

 private:
  unsigned short wait_for_port(std::chrono::milliseconds timeout);
  test_support::TempDir dir_;
  std::unique_ptr<test::ServerProcess> process_;
  unsigned short port_ = 0;
  std::string cookie_;
};

// Asks the bystander's normal question (the admin's meter list from 127.0.0.2) until stopped,
// and remembers the slowest answer and any that was not a 200.
class Prober {
 public:
  explicit Prober(const Deployment& d);
  ~Prober();
  // Stops and returns a description of every failure (empty when all were fine).
  std::string stop();
  int answered() const { return answered_; }

 private:
  const Deployment& d_;
  std::atomic<bool> stop_{false};
  std::atomic<int> answered_{0};
  std::mutex mutex_;
  std::string failures_;
  std::thread thread_;
};

// One normal request from the bystander; "" when it was answered 200 within a second.
std::string probe_once(const Deployment& d);

// Milliseconds since the epoch, for share dates around now.
std::int64_t now_ms();

}  // namespace meterd::security_test
