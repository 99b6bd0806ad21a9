#include "meterd/http/security_headers.hpp"

#include <stdexcept>

namespace meterd::http {

void validate_policy(const SecurityPolicy& policy) {
  for (const auto& origin : policy.allowed_origins) {
    if (origin.find('*') != std::string::npos)
      throw std::invalid_argument("a wildcard CORS origin is not allowed; list exact origins");
    if (origin.rfind("http://", 0) != 0 && origin.rfind("https://", 0) != 0)
      throw std::invalid_argument("CORS origin '" + origin + "' must start with http:// or https://");
    if (origin.back() == '/') throw std::invalid_argument("CORS origin '" + origin + "' must not end with '/'");
  }
}

void apply_security_headers(const SecurityPolicy& policy, const Request& request, Response& response) {
  auto set_default = [&response](const char* name, const std::string& value) {
    if (!response.header(name)) response.set_header(name, value);
  };
  set_default("Content-Security-Policy", policy.content_security_policy);
  set_default("X-Content-Type-Options", "nosniff");
  set_default("X-Frame-Options", "DENY");
  set_default("Referrer-Policy", "no-referrer");
  set_default("Cross-Origin-Opener-Policy", "same-origin");
  set_default("Cross-Origin-Resource-Policy", "same-origin");
  set_default("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (policy.send_hsts) set_default("Strict-Transport-Security", "max-age=31536000");
  if (auto origin = request.header("origin")) {
    for (const auto& allowed : policy.allowed_origins) {
      if (allowed == *origin) {
        response.set_header("Access-Control-Allow-Origin", allowed);
        response.set_header("Access-Control-Allow-Credentials", "true");
        break;
      }
    }
    // The reply depends on Origin whenever CORS is configured, so caches must key on it.
    if (!policy.allowed_origins.empty()) response.set_header("Vary", "Origin");
  }
}

}  // namespace meterd::http
