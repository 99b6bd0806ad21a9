#include "meterd/http/client_address.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <stdexcept>

#include "header_text.hpp"

namespace meterd::http {

namespace {
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are the IPv4 address they carry.
std::optional<boost::asio::ip::address> parse_address(std::string_view text) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  return address;
}
}  // namespace

std::optional<TrustedProxies::Network> TrustedProxies::parse_entry(std::string_view text) {
  const auto slash = text.find('/');
  const auto address = parse_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  Network n;
  n.v4 = address->is_v4();
  const unsigned bits = n.v4 ? 32 : 128;
  n.prefix = bits;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n.prefix);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || digits.empty() || n.prefix > bits)
      return std::nullopt;
  }
  if (n.v4) {
    const auto b = address->to_v4().to_bytes();
    std::copy(b.begin(), b.end(), n.bytes.begin());
  } else {
    n.bytes = address->to_v6().to_bytes();
  }
  return n;
}

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    auto n = parse_entry(trim_ows(entry));
    if (!n)
      throw std::invalid_argument("trusted proxy '" + entry +
                                  "' is neither an IP address nor a network such as 10.0.0.0/8");
    networks_.push_back(*n);
  }
}

TrustedProxies TrustedProxies::parse(std::string_view list) {
  std::vector<std::string> entries;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto item = trim_ows(list.substr(0, comma));
    if (!item.empty()) entries.emplace_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return TrustedProxies(entries);
}

bool TrustedProxies::contains(std::string_view text) const {
  if (networks_.empty()) return false;
  const auto probe = parse_entry(trim_ows(text));
  if (!probe || probe->prefix != (probe->v4 ? 32u : 128u)) return false;
  for (const auto& n : networks_) {
    if (n.v4 != probe->v4) continue;
    unsigned left = n.prefix;
    bool same = true;
    for (std::size_t i = 0; same && left > 0; ++i) {
      const unsigned take = left >= 8 ? 8 : left;
      const auto mask = static_cast<unsigned char>(0xFF << (8 - take));
      same = (n.bytes[i] & mask) == (probe->bytes[i] & mask);
      left -= take;
    }
    if (same) return true;
  }
  return false;
}

std::string TrustedProxies::client_of(const std::string& peer, const std::optional<std::string>& forwarded_for) const {
  if (!forwarded_for || !contains(peer)) return peer;
  std::string_view list = *forwarded_for;
  while (!list.empty()) {
    const auto comma = list.rfind(',');
    const auto item = trim_ows(comma == std::string_view::npos ? list : list.substr(comma + 1));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(0, comma);
    const auto address = parse_address(item);
    // Garbage where an address belongs: the proxy passed on something forged; stop at the proxy.
    if (!address) return peer;
    if (!contains(item)) return address->to_string();
  }
  return peer;
}

}  // namespace meterd::http
