#pragma once
// Headers every reply carries unless the handler set them: a strict Content-Security-Policy,
// no sniffing, no framing, no referrer leaks. CORS is off unless exact origins are listed;
// a wildcard origin is refused because share tokens and session cookies must not leak.
#include <string>
#include <vector>

#include "meterd/http/request.hpp"
#include "meterd/http/response.hpp"

namespace meterd::http {

struct SecurityPolicy {
  std::string content_security_policy =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
      "form-action 'self'; frame-ancestors 'none'";
  // Exact origins ("https://home.example") allowed to read replies cross-origin.
  std::vector<std::string> allowed_origins;
  // Strict-Transport-Security is only sent when the server is known to sit behind HTTPS.
  bool send_hsts = false;
};

// Throws std::invalid_argument for "*" or a malformed origin.
void validate_policy(const SecurityPolicy& policy);
void apply_security_headers(const SecurityPolicy& policy, const Request& request, Response& response);

}  // namespace meterd::http
