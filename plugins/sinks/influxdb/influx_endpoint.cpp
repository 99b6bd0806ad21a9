#include "influx_endpoint.hpp"

#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace meterd::influx {

std::string url_encode(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += ch;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

void validate(const InfluxEndpoint& endpoint) {
  if (!endpoint.url.starts_with("http://") && !endpoint.url.starts_with("https://")) {
    throw std::invalid_argument("option 'url' must start with http:// or https://, got '" + endpoint.url + "'");
  }
  if (endpoint.api_version == 1) {
    if (endpoint.database.empty()) throw std::invalid_argument("option 'database' is required for api_version = 1");
    if (endpoint.username.empty() != endpoint.password.empty()) {
      throw std::invalid_argument("options 'username' and 'password' must be given together");
    }
  } else if (endpoint.api_version == 2) {
    if (endpoint.org.empty() || endpoint.bucket.empty()) {
      throw std::invalid_argument("options 'org' and 'bucket' are required for api_version = 2");
    }
  } else {
    throw std::invalid_argument("option 'api_version' must be 1 or 2");
  }
}

std::string write_url(const InfluxEndpoint& endpoint) {
  std::string base = endpoint.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string precision(precision_name(endpoint.precision));
  if (endpoint.api_version == 2) {
    return base + "/api/v2/write?org=" + url_encode(endpoint.org) + "&bucket=" + url_encode(endpoint.bucket) +
           "&precision=" + (precision == "u" ? std::string("us") : precision);
  }
  std::string url = base + "/write?db=" + url_encode(endpoint.database) + "&precision=" + precision;
  if (!endpoint.retention_policy.empty()) url += "&rp=" + url_encode(endpoint.retention_policy);
  return url;
}

std::vector<std::string> write_headers(const InfluxEndpoint& endpoint, bool gzip) {
  std::vector<std::string> headers = {"Content-Type: text/plain; charset=utf-8"};
  if (gzip) headers.emplace_back("Content-Encoding: gzip");
  // 1.x credentials go through libcurl's basic auth (see InfluxClient), never into the URL,
  // so they do not show up in logged URLs.
  if (endpoint.api_version == 2 && !endpoint.token.empty()) headers.push_back("Authorization: Token " + endpoint.token);
  return headers;
}

}  // namespace meterd::influx
