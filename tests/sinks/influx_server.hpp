#pragma once
// A throwaway influxd (1.x) on a free loopback port with its data in a temp dir, and the
// /query calls tests use to read back what a sink wrote.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "server_process.hpp"

namespace meterd::test {

struct InfluxServerOptions {
  bool auth = false;                    // admin user "admin"/"secret" is created when set
  std::filesystem::path tls_cert_file;  // https when set (key in the same PEM)
};

class InfluxServer {
 public:
  InfluxServer(std::filesystem::path dir, InfluxServerOptions options = {});
  void start();  // waits until it answers /ping; keeps data dir and port across restarts
  void stop() { process_->stop(); }
  void kill() { process_->kill(); }
  std::uint16_t port() const { return port_; }
  std::string url() const;
  // Runs an InfluxQL statement as admin; returns the JSON reply.
  std::string query(const std::string& statement, const std::string& database = "") const;
  // The single number a "SELECT count(...)" returns; 0 when there are no rows.
  std::int64_t count(const std::string& statement, const std::string& database) const;

 private:
  std::filesystem::path dir_;
  InfluxServerOptions options_;
  std::uint16_t port_;
  std::unique_ptr<ServerProcess> process_;
};

// Minimal HTTP helpers over libcurl for the tests.
struct HttpReply {
  long status = 0;
  std::string body;
};
HttpReply http_request(const std::string& method, const std::string& url, const std::string& body = "",
                       const std::string& user = "", const std::string& password = "",
                       const std::string& ca_file = "");

}  // namespace meterd::test
