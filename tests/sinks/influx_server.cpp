#include "influx_server.hpp"

#include <curl/curl.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

namespace meterd::test {
namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::string escape_query(const std::string& text) {
  std::string out;
  char* escaped = curl_easy_escape(nullptr, text.c_str(), static_cast<int>(text.size()));
  out = escaped;
  curl_free(escaped);
  return out;
}

}  // namespace

HttpReply http_request(const std::string& method, const std::string& url, const std::string& body,
                       const std::string& user, const std::string& password, const std::string& ca_file) {
  CURL* curl = curl_easy_init();
  HttpReply reply;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (!ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
  if (!user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
  }
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_easy_cleanup(curl);
  return reply;
}

InfluxServer::InfluxServer(std::filesystem::path dir, InfluxServerOptions options)
    : dir_(std::move(dir)), options_(std::move(options)), port_(free_loopback_port()) {
  std::filesystem::create_directories(dir_);
  const std::uint16_t rpc_port = free_loopback_port();
  std::ofstream config(dir_ / "influxdb.conf");
  config << "reporting-disabled = true\n"
         << "bind-address = \"127.0.0.1:" << rpc_port << "\"\n"
         << "[meta]\n  dir = \"" << (dir_ / "meta").string() << "\"\n"
         << "[data]\n  dir = \"" << (dir_ / "data").string() << "\"\n"
         << "  wal-dir = \"" << (dir_ / "wal").string() << "\"\n  query-log-enabled = false\n"
         << "[monitor]\n  store-enabled = false\n"
         << "[http]\n  bind-address = \"127.0.0.1:" << port_ << "\"\n  log-enabled = false\n"
         << "  auth-enabled = " << (options_.auth ? "true" : "false") << "\n";
  if (!options_.tls_cert_file.empty()) {
    config << "  https-enabled = true\n  https-certificate = \"" << options_.tls_cert_file.string() << "\"\n";
  }
  process_ = std::make_unique<ServerProcess>(
      std::vector<std::string>{"/usr/bin/influxd", "run", "-config", (dir_ / "influxdb.conf").string()},
      dir_ / "influxd.log");
}

std::string InfluxServer::url() const {
  return std::string(options_.tls_cert_file.empty() ? "http" : "https") + "://127.0.0.1:" + std::to_string(port_);
}

void InfluxServer::start() {
  process_->start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  const std::string ca = options_.tls_cert_file.string();
  while (std::chrono::steady_clock::now() < deadline) {
    if (http_request("GET", url() + "/ping", "", "", "", ca).status == 204) {
      // The first start creates the admin user; CREATE USER is allowed without auth only then.
      if (options_.auth) query("CREATE USER admin WITH PASSWORD 'secret' WITH ALL PRIVILEGES");
      return;
    }
    if (!process_->running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("influxd did not start: " + process_->log());
}

std::string InfluxServer::query(const std::string& statement, const std::string& database) const {
  std::string url = this->url() + "/query?q=" + escape_query(statement);
  if (!database.empty()) url += "&db=" + escape_query(database);
  const std::string user = options_.auth ? "admin" : "";
  const HttpReply reply = http_request("POST", url, "", user, options_.auth ? "secret" : "", options_.tls_cert_file.string());
  if (reply.status != 200) {
    throw std::runtime_error("InfluxDB query failed (HTTP " + std::to_string(reply.status) + "): " + reply.body);
  }
  return reply.body;
}

std::int64_t InfluxServer::count(const std::string& statement, const std::string& database) const {
  const auto reply = nlohmann::json::parse(query(statement, database));
  const auto& result = reply.at("results").at(0);
  if (!result.contains("series")) return 0;
  return result.at("series").at(0).at("values").at(0).at(1).get<std::int64_t>();
}

}  // namespace meterd::test
