#pragma once
// Which address a request comes from. Behind a reverse proxy every connection comes from the
// proxy, so X-Forwarded-For is believed, but only from proxies the operator listed: anyone
// else could write any address there and dodge every per-client limit.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meterd::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Addresses ("127.0.0.1", "::1") or networks ("10.0.0.0/8", "fd00::/8"). Throws
  // std::invalid_argument naming the entry that is neither.
  explicit TrustedProxies(const std::vector<std::string>& entries);
  // "a, b/24" as written in a config option.
  static TrustedProxies parse(std::string_view list);

  bool empty() const { return networks_.empty(); }
  bool contains(std::string_view address) const;
  // The client behind `peer`: the peer itself unless it is a trusted proxy; then the right-most
  // X-Forwarded-For entry that is not a trusted proxy (entries left of it could be forged).
  std::string client_of(const std::string& peer, const std::optional<std::string>& forwarded_for) const;

 private:
  struct Network {
    std::array<unsigned char, 16> bytes{};
    unsigned prefix = 0;
    bool v4 = false;
  };
  static std::optional<Network> parse_entry(std::string_view text);
  std::vector<Network> networks_;
};

}  // namespace meterd::http
