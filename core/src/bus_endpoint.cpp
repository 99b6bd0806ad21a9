#include "meterd/runtime/bus_endpoint.hpp"

#include <charconv>
#include <stdexcept>

namespace meterd {
namespace {

[[noreturn]] void refuse(const std::string& why, EndpointUse use) {
  throw std::invalid_argument(why + (use == EndpointUse::bind ? "; use e.g. tcp://0.0.0.0:7700 or ipc:///run/meterd/bus"
                                                              : "; use e.g. tcp://pi.local:7700 or ipc:///run/meterd/bus"));
}

bool valid_port(std::string_view text) {
  int port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return ec == std::errc() && end == text.data() + text.size() && port >= 1 && port <= 65535;
}

bool valid_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || host.size() > 253) return false;
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':' || c == '*' ||
          c == '%'))
      return false;
  return true;
}

}  // namespace

void check_bus_endpoint(const std::string& endpoint, EndpointUse use) {
  const auto scheme_end = endpoint.find("://");
  if (scheme_end == std::string::npos) refuse("not an endpoint", use);
  const std::string scheme = endpoint.substr(0, scheme_end);
  const std::string rest = endpoint.substr(scheme_end + 3);
  if (scheme == "ipc") {
    if (rest.empty()) refuse("ipc:// needs a path", use);
    return;
  }
  if (scheme != "tcp") refuse("transport '" + scheme + "' is not supported between meterd processes", use);
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos) refuse("tcp:// needs HOST:PORT", use);
  const std::string host = rest.substr(0, colon), port = rest.substr(colon + 1);
  if (use == EndpointUse::connect && (host == "*" || port == "*")) refuse("'*' only makes sense for export", use);
  if (!valid_host(host)) refuse("'" + host + "' is not a host name or address", use);
  if (port != "*" && !valid_port(port)) refuse("port '" + port + "' is not 1 to 65535", use);
}

}  // namespace meterd
