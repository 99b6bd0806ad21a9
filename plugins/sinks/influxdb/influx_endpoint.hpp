#pragma once
// Where and how to write: the server URL, API version and credentials, turned into the write
// URL and headers of the InfluxDB 1.x (/write) or 2.x (/api/v2/write) HTTP API.
#include <string>
#include <vector>

#include "line_protocol.hpp"

namespace meterd::influx {

struct InfluxEndpoint {
  std::string url = "http://127.0.0.1:8086";  // scheme, host, port, optional path prefix
  int api_version = 1;
  // 1.x
  std::string database = "meterd";
  std::string retention_policy;  // empty: the database's default
  std::string username, password;
  // 2.x
  std::string org, bucket, token;
  Precision precision = Precision::ms;
};

// Throws std::invalid_argument naming the missing or wrong option.
void validate(const InfluxEndpoint& endpoint);
std::string write_url(const InfluxEndpoint& endpoint);
// Authorization and content headers ("Name: value"), gzip adds Content-Encoding.
std::vector<std::string> write_headers(const InfluxEndpoint& endpoint, bool gzip);

// Percent-encoding for query parameter values.
std::string url_encode(std::string_view text);

}  // namespace meterd::influx
