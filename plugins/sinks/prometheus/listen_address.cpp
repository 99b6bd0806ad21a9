#include "listen_address.hpp"

#include <charconv>
#include <stdexcept>

namespace meterd::prometheus {

ListenAddress parse_listen_address(std::string_view text) {
  const auto fail = [&] {
    return std::invalid_argument("option 'listen' must be host:port or [ipv6]:port with a port of 0 to 65535, not '" +
                                 std::string(text) + "'");
  };
  ListenAddress result;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') throw fail();
    result.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) throw fail();
    result.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (result.host.empty() || port.empty() || ec != std::errc{} || end != port.data() + port.size() || value > 65535) {
    throw fail();
  }
  result.port = static_cast<unsigned short>(value);
  return result;
}

}  // namespace meterd::prometheus
