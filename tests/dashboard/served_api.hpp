#pragma once
// A dashboard API behind a real HTTP server on a free loopback port, with an admin session
// (the tests' accounts use the password "s3cret-pass").
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dashboard_api.hpp"
#include "http_test_client.hpp"
#include "meterd/http/server.hpp"

namespace meterd::dashboard::testing {

struct ServedApi {
  std::unique_ptr<http::Server> server;
  std::string cookie;

  void serve(DashboardApi& api) {
    http::ServerOptions o;
    o.port = 0;
    server = std::make_unique<http::Server>(o, api.router());
    server->start();
    const auto r = http::testing::fetch(server->port(), "POST", "/api/login", {{"Content-Type", "application/json"}},
                                        R"({"password":"s3cret-pass"})");
    const auto set = r.header("set-cookie");
    cookie = set.substr(0, set.find(';'));
  }
  http::testing::Reply get(const std::string& target, bool admin = true) const {
    return http::testing::fetch(server->port(), "GET", target,
                                admin ? std::vector<std::pair<std::string, std::string>>{{"Cookie", cookie}}
                                      : std::vector<std::pair<std::string, std::string>>{});
  }
};

}  // namespace meterd::dashboard::testing
