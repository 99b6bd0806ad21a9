#pragma once
// The HTTP/1.1 server: accepts on one address, parses with size limits, dispatches to a
// Router on a small thread pool, adds security headers and keeps SSE replies open.
// It budgets connections so that no single client address can take them all: a cap per
// address, a cap on event streams per address, and a reserve of connections kept for
// requests the owner marks as privileged (a logged-in admin).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "meterd/http/client_address.hpp"
#include "meterd/http/router.hpp"
#include "meterd/http/security_headers.hpp"

namespace meterd::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port (tests)
  std::size_t max_body_bytes = 64u * 1024u;
  std::size_t max_header_bytes = 16u * 1024u;
  // How long an open connection may wait for its next request before it is closed.
  std::chrono::seconds idle_timeout{15};
  // From a request's first byte (or from the connect) until its headers and body are in.
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds keepalive_interval{15};  // SSE comment so dead peers are noticed
  std::size_t max_connections = 256;
  // Open connections one client address may hold (trusted proxies are exempt: they carry
  // many clients); a newcomer over it gets 429 and is closed.
  std::size_t max_connections_per_address = 32;
  // The last `reserved_connections` of `max_connections` serve only requests `privileged`
  // accepts; others get 503. Without a `privileged` test nothing is reserved.
  std::size_t reserved_connections = 16;
  std::function<bool(const Request&)> privileged;
  // Open event streams per client address (after X-Forwarded-For from a trusted proxy).
  std::size_t max_streams_per_address = 8;
  // Proxies whose X-Forwarded-For names the client (Request::remote_address).
  TrustedProxies trusted_proxies;
  int threads = 1;
  SecurityPolicy security;
};

// Throws std::invalid_argument naming the option when the limits contradict each other.
void validate_limits(const ServerOptions& options);

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
