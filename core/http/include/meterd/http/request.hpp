#pragma once
// A parsed HTTP request as handlers see it: decoded path, query and path parameters, headers
// with lower-case names, and the body (already limited in size by the server).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace meterd::http {

struct Request {
  std::string method;  // upper case, "GET"
  std::string target;  // as received, "/api/series?meter=a"
  std::string path;    // percent-decoded, without the query
  std::map<std::string, std::string> query;        // decoded; a repeated name is rejected
  std::map<std::string, std::string> path_params;  // filled by the router from "{name}"
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  // The client's IP, for per-client limits: the peer's, or the one a trusted proxy forwarded.
  std::string remote_address;
  std::string peer_address;  // the connection's own peer

  // First header with that (case-insensitive) name.
  std::optional<std::string> header(std::string_view name) const;
  // A path parameter the route declared; throws std::out_of_range for an undeclared name
  // because that is a programming error, not a client error.
  const std::string& param(const std::string& name) const { return path_params.at(name); }

  // Splits `target` into `path` and `query`. Throws HttpError(400) on bad percent escapes,
  // a repeated query name, or a path that is not absolute.
  void parse_target();
};

}  // namespace meterd::http
