#include "meterd/http/cookies.hpp"

#include <stdexcept>

#include "header_text.hpp"

namespace meterd::http {

namespace {
bool is_token_char(char c) {
  return c > 0x20 && c < 0x7f && c != ';' && c != ',' && c != '"' && c != '\\' && c != '=';
}

std::string attributes(const CookieOptions& options) {
  std::string out = "; Path=" + options.path;
  if (options.max_age) out += "; Max-Age=" + std::to_string(options.max_age->count());
  if (options.secure) out += "; Secure";
  if (options.http_only) out += "; HttpOnly";
  if (!options.same_site.empty()) out += "; SameSite=" + options.same_site;
  return out;
}
}  // namespace

std::optional<std::string> cookie_value(const Request& request, std::string_view name) {
  for (const auto& [key, header] : request.headers) {
    if (key != "cookie") continue;
    std::string_view rest = header;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      auto pair = trim_ows(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (trim_ows(pair.substr(0, eq)) == name) return std::string(trim_ows(pair.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

std::string set_cookie_value(std::string_view name, std::string_view value, const CookieOptions& options) {
  if (name.empty()) throw std::invalid_argument("cookie name is empty");
  for (char c : name)
    if (!is_token_char(c)) throw std::invalid_argument("cookie name has a forbidden character");
  for (char c : value)
    if (!is_token_char(c)) throw std::invalid_argument("cookie value has a forbidden character");
  return std::string(name) + "=" + std::string(value) + attributes(options);
}

std::string expire_cookie_value(std::string_view name, const CookieOptions& options) {
  CookieOptions expired = options;
  expired.max_age = std::chrono::seconds(0);
  return std::string(name) + "=" + attributes(expired);
}

}  // namespace meterd::http
