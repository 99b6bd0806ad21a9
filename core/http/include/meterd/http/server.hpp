#pragma once
// The HTTP/1.1 server: accepts on one address, parses with size limits, dispatches to a
// Router on a small thread pool, adds security headers and keeps SSE replies open.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "meterd/http/router.hpp"
#include "meterd/http/security_headers.hpp"

namespace meterd::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port (tests)
  std::size_t max_body_bytes = 64u * 1024u;
  std::size_t max_header_bytes = 16u * 1024u;
  std::chrono::seconds idle_timeout{30};
  std::chrono::seconds keepalive_interval{15};  // SSE comment so dead peers are noticed
  std::size_t max_connections = 256;
  int threads = 1;
  SecurityPolicy security;
};

class Server {
 public:
  // Throws std::invalid_argument for a bad policy.
  Server(ServerOptions options, std::shared_ptr<const Router> router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving; throws std::runtime_error naming the address when binding fails.
  void start();
  // Closes the listener and every connection; idempotent.
  void stop();
  unsigned short port() const;
  std::size_t open_connections() const;

  class Impl;  // defined in server.cpp; named here so connection objects there can refer to it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace meterd::http
