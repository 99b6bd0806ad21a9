#pragma once
// A minimal HTTP/1.1 client over a plain socket, so tests can send exactly the bytes they want
// (odd methods, malformed request lines) and see the reply as a scraper would.
#include <map>
#include <string>
#include <string_view>

namespace meterd::test {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

// Sends `raw_request` to 127.0.0.1:port and reads until the server closes the connection
// (requests should carry "Connection: close"). Throws std::runtime_error on socket errors.
HttpReply http_exchange(unsigned short port, std::string_view raw_request);
// GET with Connection: close.
HttpReply http_get(unsigned short port, std::string_view target, std::string_view method = "GET");

}  // namespace meterd::test
