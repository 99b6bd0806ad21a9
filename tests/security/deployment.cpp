#include "deployment.hpp"

#include <sys/stat.h>

#include <cctype>
#include <fstream>

namespace meterd::security_test {

using http::testing::fetch_from;
using nlohmann::json;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Deployment::Deployment(const std::string& extra, std::optional<unsigned> umask) {
  const auto web = dir_.path() / "web";
  std::filesystem::create_directories(web);
  std::ofstream(web / "index.html") << "<!doctype html><html><body>meterd dashboard</body></html>\n";
  const auto config = dir_.path() / "meterd.conf";
  std::ofstream(config) << "[meterd]\nstate_dir = " << (dir_.path() / "state").string()
                        << "\ntime_zone = Europe/Zurich\nplugin_dir = " << METERD_BUILD_DIR << "/plugins\n\n"
                        << "[source.sim]\nplugin = simulator\nmeters = house,heat_pump\ninterval_ms = 1000\n"
                        << "history_days = 2\nhistory_interval_ms = 300000\n\n"
                        << "[sink.dash]\nplugin = dashboard\nport = 0\nsecure_cookies = false\nadmin_password = "
                        << kPassword << "\nweb_root = " << web.string() << "\n"
                        << extra << "\n";
  process_ = std::make_unique<test::ServerProcess>(
      std::vector<std::string>{METERD_BUILD_DIR "/meterd", "--config", config.string(), "--log-level", "info"},
      dir_.path() / "meterd.log");
  // The umask is inherited: set it for the child only.
  const auto previous = umask ? std::optional<mode_t>(::umask(static_cast<mode_t>(*umask))) : std::nullopt;
  process_->start();
  if (previous) ::umask(*previous);
  port_ = wait_for_port(std::chrono::seconds(30));
  if (port_ == 0) throw std::runtime_error("meterd did not start; its log:\n" + process_->log());
  // Until the history has arrived the meters are unknown to the store; wait for both.
  for (int i = 0; i < 300; ++i) {
    const auto r = get("/api/meters", "127.0.0.1", !login().empty());
    if (r.body.find(kHouse) != std::string::npos && r.body.find(kHeatPump) != std::string::npos) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("the simulated meters never reached the dashboard; log:\n" + process_->log());
}

bool Deployment::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    if (log().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

// The port in the sink's "dashboard on http://127.0.0.1:PORT (..." line, once complete.
unsigned short Deployment::wait_for_port(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline && process_->running()) {
    const auto text = log();
    const auto at = text.find("dashboard on http://127.0.0.1:");
    if (at != std::string::npos) {
      const auto digits = at + 30;
      auto end = digits;
      while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
      if (end < text.size() && end > digits) return static_cast<unsigned short>(std::stoi(text.substr(digits, end - digits)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

Reply Deployment::get(const std::string& target, const std::string& from, bool admin) const {
  std::vector<std::pair<std::string, std::string>> h;
  if (admin) h.emplace_back("Cookie", cookie_);
  return fetch_from(from, port_, "GET", target, h);
}

Reply Deployment::post(const std::string& target, const json& body, const std::string& from, bool admin,
                       const std::vector<std::pair<std::string, std::string>>& extra) const {
  std::vector<std::pair<std::string, std::string>> h{{"Content-Type", "application/json"}};
  if (admin) h.emplace_back("Cookie", cookie_);
  h.insert(h.end(), extra.begin(), extra.end());
  return fetch_from(from, port_, "POST", target, h, body.dump());
}

Reply Deployment::del(const std::string& target, const std::string& from) const {
  return fetch_from(from, port_, "DELETE", target, {{"Cookie", cookie_}});
}

std::string Deployment::login(const std::string& from) {
  if (!cookie_.empty()) return cookie_;
  const auto r = post("/api/login", {{"password", kPassword}}, from);
  if (r.status != 200) throw std::runtime_error("login failed: " + std::to_string(r.status) + " " + r.body);
  const auto set = r.header("set-cookie");
  cookie_ = set.substr(0, set.find(';'));
  return cookie_;
}

std::pair<std::string, std::string> Deployment::share(const json& spec) {
  const auto r = post("/api/admin/shares", spec, kOther, true);
  if (r.status != 201) throw std::runtime_error("share not created: " + r.body);
  const auto j = json::parse(r.body);
  return {j["id"], j["token"]};
}

std::string probe_once(const Deployment& d) {
  const auto start = std::chrono::steady_clock::now();
  try {
    const auto r = d.get("/api/meters", kOther, true);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    if (r.status != 200) return "status " + std::to_string(r.status) + " " + r.body + "\n";
    if (ms > 1000) return "answered after " + std::to_string(ms) + " ms\n";
    return "";
  } catch (const std::exception& e) {
    return std::string("no answer: ") + e.what() + "\n";
  }
}

Prober::Prober(const Deployment& d) : d_(d), thread_([this] {
  while (!stop_) {
    const auto failure = probe_once(d_);
    ++answered_;
    if (!failure.empty()) {
      std::lock_guard lock(mutex_);
      failures_ += failure;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}) {}

Prober::~Prober() { stop(); }

std::string Prober::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  return failures_;
}

}  // namespace meterd::security_test
