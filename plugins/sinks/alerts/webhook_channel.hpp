#pragma once
// Notices as HTTP POSTs of notice_json() to a URL (ntfy, Gotify, Home Assistant webhooks, or
// anything that takes JSON), optionally signed: X-Meterd-Signature: sha256=<HMAC-SHA256 of
// the body with the shared secret, hex>.
#include <memory>
#include <string>
#include <vector>

#include "notice_channel.hpp"

namespace meterd::alerts {

struct WebhookSettings {
  std::string url;
  std::string secret;                // empty: no signature
  std::vector<std::string> headers;  // "Name: value", e.g. a Gotify key or a bearer token
  std::string topic;                 // ntfy topic when posting to the server's root URL
  long timeout_ms = 10'000;
  std::string ca_file;               // system CAs when empty
};

std::unique_ptr<Channel> make_webhook_channel(WebhookSettings settings, std::shared_ptr<const TimeZone> zone);
// Hex HMAC-SHA256, as the signature header carries it.
std::string hmac_sha256_hex(const std::string& key, const std::string& data);

}  // namespace meterd::alerts
