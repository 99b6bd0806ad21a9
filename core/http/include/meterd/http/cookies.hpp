#pragma once
// Reading the Cookie header and writing Set-Cookie values with safe defaults
// (Secure, HttpOnly, SameSite=Strict), which is what session cookies need.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "meterd/http/request.hpp"

namespace meterd::http {

std::optional<std::string> cookie_value(const Request& request, std::string_view name);

struct CookieOptions {
  std::string path = "/";
  std::optional<std::chrono::seconds> max_age;  // session cookie when empty
  bool secure = true;
  bool http_only = true;
  std::string same_site = "Strict";
};

// Throws std::invalid_argument when name or value would break the header.
std::string set_cookie_value(std::string_view name, std::string_view value, const CookieOptions& options);
// A Set-Cookie value that deletes the cookie.
std::string expire_cookie_value(std::string_view name, const CookieOptions& options);

}  // namespace meterd::http
