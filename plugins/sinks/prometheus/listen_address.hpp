#pragma once
// The `listen` option: "host:port" or "[v6-address]:port", split for meterd::http::Server.
#include <string>
#include <string_view>

namespace meterd::prometheus {

struct ListenAddress {
  std::string host;
  unsigned short port = 0;  // 0 lets the system pick one (tests)
};

// Throws std::invalid_argument with a message naming the option and the accepted form.
ListenAddress parse_listen_address(std::string_view text);

}  // namespace meterd::prometheus
